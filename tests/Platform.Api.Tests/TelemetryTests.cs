using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenAI.Chat;
using Platform.Api.Pipeline;
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
            ShouldListenTo = s => s.Name == ChatPipeline.TelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ChatPipeline.TelemetrySourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    [Fact]
    public async Task ChatCallProducesAGenAIClientSpanAndMetrics()
    {
        ChatCompletion completion = await _api.CreateChatClient(ApiFactory.ProbeOfflineModel)
            .CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("trace me"))], new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 100 });

        var span = _spans.Single(s => Equals(s.GetTagItem("gen_ai.request.model"), ApiFactory.ProbeOfflineModel));
        Assert.Equal($"chat {ApiFactory.ProbeOfflineModel}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("offline", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(ApiFactory.ProbeOfflineModel, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(completion.Id, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(0.5f, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(100, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal("""["stop"]""", span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(completion.Usage.InputTokenCount, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(completion.Usage.OutputTokenCount, span.GetTagItem("gen_ai.usage.output_tokens"));

        var mine = _measurements.Where(m => Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), ApiFactory.ProbeOfflineModel)).ToList();
        Assert.Single(mine, m => m.Instrument == "gen_ai.client.operation.duration");
        var tokens = mine.Where(m => m.Instrument == "gen_ai.client.token.usage").ToDictionary(m => (string)m.Tags["gen_ai.token.type"]!, m => m.Value);
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
            && Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), ApiFactory.ProbeOfflineModel));
    }

    [Fact]
    public async Task FailedUpstreamCallMarksTheSpanWithTheErrorType()
    {
        _api.Upstream.RespondWith(StubReply.Error(500, "boom"));

        await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            _api.CreateChatClient(ApiFactory.ProbeUpstreamModel).CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("fail me"))]));

        // error.type is the exception's type (GenAI conventions); the status description names the upstream's status.
        var span = _spans.Single(s => Equals(s.GetTagItem("gen_ai.request.model"), ApiFactory.ProbeUpstreamModel));
        Assert.Equal(typeof(Platform.Api.Providers.UpstreamProviderException).FullName, span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains("500", span.StatusDescription);
        Assert.Contains(_measurements, m => m.Instrument == "gen_ai.client.operation.duration"
            && Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), ApiFactory.ProbeUpstreamModel)
            && Equals(m.Tags.GetValueOrDefault("error.type"), typeof(Platform.Api.Providers.UpstreamProviderException).FullName));
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
