using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Platform.Api.Providers;

namespace Platform.Api.Pipeline.Middleware;

/// <summary>
/// Outermost middleware: one <c>chat {model}</c> client span per call and the GenAI duration,
/// token and time-to-first-chunk metrics (written here because Microsoft.Extensions.AI's
/// OpenTelemetryChatClient is not restorable).
/// </summary>
public sealed class TelemetryChatClient(IChatClient inner, bool captureMessageContent) : DelegatingChatClient(inner)
{
    private readonly string _providerName = inner.GetService<ChatClientMetadata>()?.ProviderName ?? "unknown";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Start(messages, options);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            call.Observe(response);
            call.Complete(null);
            return response;
        }
        catch (Exception e)
        {
            call.Complete(e);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Start(messages, options);
        var updates = new List<ChatResponseUpdate>();
        Exception? failure = null;
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        try
        {
            enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                    throw;
                }
                call.ObserveChunk();
                updates.Add(enumerator.Current);
                yield return enumerator.Current;
            }
            call.Observe(updates.ToChatResponse());
        }
        finally
        {
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            call.Complete(failure);
        }
    }

    private TelemetryCall Start(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var model = options?.ModelId ?? "unknown";
        var activity = GenAIInstrumentation.ActivitySource.StartActivity($"{GenAITags.ChatOperation} {model}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAITags.OperationName, GenAITags.ChatOperation)
                .SetTag(GenAITags.ProviderName, _providerName)
                .SetTag(GenAITags.RequestModel, model);
            if (options?.Temperature is { } temperature) activity.SetTag(GenAITags.RequestTemperature, temperature);
            if (options?.TopP is { } topP) activity.SetTag(GenAITags.RequestTopP, topP);
            if (options?.MaxOutputTokens is { } maxTokens) activity.SetTag(GenAITags.RequestMaxTokens, maxTokens);
            if (captureMessageContent)
            {
                GenAIContentEvents.AddInputEvents(activity, messages);
            }
        }
        return new TelemetryCall(activity, _providerName, model, captureMessageContent);
    }
}
