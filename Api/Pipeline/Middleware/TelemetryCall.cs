using System.Diagnostics;
using Microsoft.Extensions.AI;
using Platform.Api.Providers;

namespace Platform.Api.Pipeline.Middleware;

/// <summary>The span and measurements of one chat call, completed exactly once.</summary>
internal sealed class TelemetryCall(Activity? activity, string providerName, string requestModel, bool captureMessageContent)
{
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private bool _firstChunkSeen;
    private string? _responseModel;
    private UsageDetails? _usage;

    public void ObserveChunk()
    {
        if (_firstChunkSeen)
        {
            return;
        }
        _firstChunkSeen = true;
        GenAIInstrumentation.TimeToFirstChunk.Record(Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, CommonTags(null));
    }

    public void Observe(ChatResponse response)
    {
        _responseModel = response.ModelId;
        _usage = response.Usage;
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }
        if (response.ModelId is { } model) activity.SetTag(GenAITags.ResponseModel, model);
        if (response.ResponseId is { } id) activity.SetTag(GenAITags.ResponseId, id);
        if (response.FinishReason is { } finish) activity.SetTag(GenAITags.ResponseFinishReasons, new[] { finish.Value });
        if (response.Usage?.InputTokenCount is { } input) activity.SetTag(GenAITags.InputTokens, input);
        if (response.Usage?.OutputTokenCount is { } output) activity.SetTag(GenAITags.OutputTokens, output);
        if (captureMessageContent)
        {
            GenAIContentEvents.AddOutputEvent(activity, response);
        }
    }

    public void Complete(Exception? error)
    {
        var errorType = error is null ? null : ErrorType(error);
        if (activity is not null)
        {
            if (errorType is not null)
            {
                activity.SetTag(GenAITags.ErrorType, errorType);
                activity.SetStatus(ActivityStatusCode.Error, error!.Message);
            }
            activity.Dispose();
        }

        GenAIInstrumentation.OperationDuration.Record(Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, CommonTags(errorType));
        if (_usage?.InputTokenCount is { } input)
        {
            var tags = CommonTags(null);
            tags.Add(GenAITags.TokenType, "input");
            GenAIInstrumentation.TokenUsage.Record(input, tags);
        }
        if (_usage?.OutputTokenCount is { } output)
        {
            var tags = CommonTags(null);
            tags.Add(GenAITags.TokenType, "output");
            GenAIInstrumentation.TokenUsage.Record(output, tags);
        }
    }

    private TagList CommonTags(string? errorType)
    {
        var tags = new TagList
        {
            { GenAITags.OperationName, GenAITags.ChatOperation },
            { GenAITags.ProviderName, providerName },
            { GenAITags.RequestModel, requestModel },
        };
        if (_responseModel is not null) tags.Add(GenAITags.ResponseModel, _responseModel);
        if (errorType is not null) tags.Add(GenAITags.ErrorType, errorType);
        return tags;
    }

    private static string ErrorType(Exception error) => error switch
    {
        UpstreamProviderException { IsTimeout: true } => "timeout",
        UpstreamProviderException { UpstreamStatus: { } status } => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => error.GetType().FullName ?? "error",
    };
}
