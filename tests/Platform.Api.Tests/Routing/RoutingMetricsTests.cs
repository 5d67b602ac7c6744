using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Providers;
using Platform.Api.Routing;

namespace Platform.Api.Tests.Routing;

public sealed class RoutingMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, string? Deployment, string? Reason, double Value)> _measurements = [];

    public RoutingMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    [Fact]
    public async Task EachDeploymentsCallsFailuresFallbacksLatencyAndBreakerStateAreMeasured()
    {
        var metrics = new RoutingMetrics(_services.GetRequiredService<IMeterFactory>());
        var failing = Deployment("sick", 0, new Answering(new UpstreamProviderException("p", 503, false, "down")));
        var healthy = Deployment("fine", 1, new Answering(null));
        metrics.Track(failing);
        metrics.Track(healthy);
        var routing = new DeploymentRoutingChatClient(new RoutedModel("m", [[failing], [healthy]]), TimeProvider.System, metrics);

        for (var i = 0; i < 3; i++)
        {
            await routing.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
        }
        _listener.RecordObservableInstruments();

        Assert.Equal(3, Sum("platform.routing.deployment.requests", "sick"));
        Assert.Equal(3, Sum("platform.routing.deployment.requests", "fine"));
        Assert.Equal(3, _measurements.Count(m => m is { Instrument: "platform.routing.deployment.failures", Deployment: "sick", Reason: "status_5xx" }));
        Assert.Equal(3, Sum("platform.routing.fallbacks", "sick"));
        Assert.Equal(3, _measurements.Count(m => m is { Instrument: "platform.routing.deployment.latency", Deployment: "fine" }));
        Assert.Equal((int)DeploymentState.Open, _measurements.Last(m => m is { Instrument: "platform.routing.deployment.state", Deployment: "sick" }).Value);
        Assert.Equal((int)DeploymentState.Closed, _measurements.Last(m => m is { Instrument: "platform.routing.deployment.state", Deployment: "fine" }).Value);
    }

    private double Sum(string instrument, string deployment) =>
        _measurements.Where(m => m.Instrument == instrument && m.Deployment == deployment).Sum(m => m.Value);

    private static Deployment Deployment(string name, int priority, IChatClient client) =>
        new(name, "m", name, "openai", "m", 1, priority, 0, client, new DeploymentHealth(TimeProvider.System, 3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? deployment = null, reason = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "platform.deployment") deployment = tag.Value as string;
            if (tag.Key == "reason") reason = tag.Value as string;
        }
        lock (_measurements)
        {
            _measurements.Add((instrument.Name, deployment, reason, value));
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    /// <summary>Answers every call, or throws the given failure.</summary>
    private sealed class Answering(Exception? failure) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            failure is null ? Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))) : Task.FromException<ChatResponse>(failure);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
