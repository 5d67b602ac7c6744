using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Platform.Api.Routing;

/// <summary>
/// Per-deployment instruments on the Api's meter: calls, failures by reason, fallbacks, time to the first
/// token (the whole answer when not streamed) and the breaker's state (0 closed, 1 half-open, 2 open).
/// </summary>
public sealed class RoutingMetrics
{
    public const string MeterName = "Platform.Api";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _latency;
    private readonly ConcurrentDictionary<Deployment, byte> _deployments = new();

    public RoutingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("platform.routing.deployment.requests", description: "Calls sent to a deployment.");
        _failures = meter.CreateCounter<long>("platform.routing.deployment.failures", description: "Calls a deployment failed before its first token, by reason (connect, timeout, status_429, status_5xx, rejected).");
        _fallbacks = meter.CreateCounter<long>("platform.routing.fallbacks", description: "Requests passed on from a failed deployment to another one.");
        _latency = meter.CreateHistogram<double>("platform.routing.deployment.latency", unit: "s", description: "Time to a deployment's first token (its whole answer when not streamed).");
        meter.CreateObservableGauge("platform.routing.deployment.state", ObserveStates, description: "Breaker state of each deployment: 0 closed, 1 half-open (probing), 2 open (cooling down).");
    }

    /// <summary>A deployment whose breaker state is reported.</summary>
    public void Track(Deployment deployment) => _deployments.TryAdd(deployment, 0);

    public void Sent(Deployment deployment) => _requests.Add(1, Tags(deployment));

    public void Answered(Deployment deployment, TimeSpan firstToken) => _latency.Record(firstToken.TotalSeconds, Tags(deployment));

    public void Failed(Deployment deployment, string reason)
    {
        var tags = Tags(deployment);
        tags.Add("reason", reason);
        _failures.Add(1, tags);
    }

    public void FellBack(Deployment from) => _fallbacks.Add(1, Tags(from));

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var deployment in _deployments.Keys)
        {
            yield return new Measurement<int>((int)deployment.Health.State, Tags(deployment));
        }
    }

    private static System.Diagnostics.TagList Tags(Deployment deployment) => new()
    {
        { "gen_ai.request.model", deployment.ModelName },
        { "platform.deployment", deployment.Name },
    };
}
