using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenAI.Chat;
using Platform.Api.Pipeline.Middleware;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class TelemetryTests : IClassFixture<ApiFactory>, IDisposable
{
    private readonly ApiFactory _api;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public TelemetryTests(ApiFactory api)
    {
        _api = api;
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GenAIInstrumentation.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GenAIInstrumentation.SourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    [Fact]
    public async Task ChatCallProducesAGenAIClientSpanAndMetrics()
    {
        ChatCompletion completion = await _api.CreateChatClient(ApiFactory.ProbeOfflineModel)
            .CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("trace me"))], new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 100 });

        var span = _spans.Single(s => Equals(s.GetTagItem(GenAITags.RequestModel), ApiFactory.ProbeOfflineModel));
        Assert.Equal($"chat {ApiFactory.ProbeOfflineModel}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem(GenAITags.OperationName));
        Assert.Equal("offline", span.GetTagItem(GenAITags.ProviderName));
        Assert.Equal(ApiFactory.ProbeOfflineModel, span.GetTagItem(GenAITags.ResponseModel));
        Assert.Equal(completion.Id, span.GetTagItem(GenAITags.ResponseId));
        Assert.Equal(0.5f, span.GetTagItem(GenAITags.RequestTemperature));
        Assert.Equal(100, span.GetTagItem(GenAITags.RequestMaxTokens));
        Assert.Equal(["stop"], (string[])span.GetTagItem(GenAITags.ResponseFinishReasons)!);
        Assert.Equal((long)completion.Usage.InputTokenCount, span.GetTagItem(GenAITags.InputTokens));
        Assert.Equal((long)completion.Usage.OutputTokenCount, span.GetTagItem(GenAITags.OutputTokens));

        var mine = _measurements.Where(m => Equals(m.Tags.GetValueOrDefault(GenAITags.RequestModel), ApiFactory.ProbeOfflineModel)).ToList();
        Assert.Single(mine, m => m.Instrument == "gen_ai.client.operation.duration");
        var tokens = mine.Where(m => m.Instrument == "gen_ai.client.token.usage").ToDictionary(m => (string)m.Tags[GenAITags.TokenType]!, m => m.Value);
        Assert.Equal(completion.Usage.InputTokenCount, tokens["input"]);
        Assert.Equal(completion.Usage.OutputTokenCount, tokens["output"]);
    }

    [Fact]
    public async Task StreamedCallRecordsTimeToFirstChunk()
    {
        await foreach (var _ in _api.CreateChatClient(ApiFactory.ProbeOfflineModel).CompleteChatStreamingAsync([new UserChatMessage(ApiHttp.Unique("stream trace"))]))
        {
        }

        Assert.Contains(_measurements, m => m.Instrument == "gen_ai.client.operation.time_to_first_chunk"
            && Equals(m.Tags.GetValueOrDefault(GenAITags.RequestModel), ApiFactory.ProbeOfflineModel));
    }

    [Fact]
    public async Task FailedUpstreamCallMarksTheSpanWithTheErrorType()
    {
        _api.Upstream.RespondWith(StubReply.Error(500, "boom"));

        await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            _api.CreateChatClient(ApiFactory.ProbeUpstreamModel).CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("fail me"))]));

        var span = _spans.Single(s => Equals(s.GetTagItem(GenAITags.RequestModel), ApiFactory.ProbeUpstreamModel));
        Assert.Equal("500", span.GetTagItem(GenAITags.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains(_measurements, m => m.Instrument == "gen_ai.client.operation.duration"
            && Equals(m.Tags.GetValueOrDefault(GenAITags.ErrorType), "500"));
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
