using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Api.Tools.Sessions;

/// <summary>Meter "Platform.Mcp": session pool health and tool call latency per server and tool.</summary>
public sealed class McpMetrics
{
    public const string MeterName = "Platform.Mcp";

    private readonly Counter<long> _sessionsCreated;
    private readonly Counter<long> _sessionsReused;
    private readonly Counter<long> _sessionsFailed;
    private readonly Counter<long> _sessionsClosed;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _catalogRefreshes;

    public McpMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sessionsCreated = meter.CreateCounter<long>("mcp.client.sessions.created", description: "MCP sessions opened by the pool.");
        _sessionsReused = meter.CreateCounter<long>("mcp.client.sessions.reused", description: "Tool calls served by an already open session.");
        _sessionsFailed = meter.CreateCounter<long>("mcp.client.sessions.failed", description: "Sessions that could not be opened or died in use.");
        _sessionsClosed = meter.CreateCounter<long>("mcp.client.sessions.closed", description: "Sessions closed because they were idle, dead or shut down.");
        _inFlight = meter.CreateUpDownCounter<long>("mcp.client.calls.in_flight", description: "Tool calls waiting for their server.");
        _callDuration = meter.CreateHistogram<double>("mcp.client.call.duration", unit: "s", description: "Tool call latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _catalogRefreshes = meter.CreateCounter<long>("mcp.catalog.refreshes", description: "Server listings, by outcome.");
    }

    public void SessionCreated(string server) => _sessionsCreated.Add(1, new KeyValuePair<string, object?>("mcp.server", server));
    public void SessionReused(string server) => _sessionsReused.Add(1, new KeyValuePair<string, object?>("mcp.server", server));
    public void SessionFailed(string server) => _sessionsFailed.Add(1, new KeyValuePair<string, object?>("mcp.server", server));
    public void SessionClosed(string server, string reason) =>
        _sessionsClosed.Add(1, new KeyValuePair<string, object?>("mcp.server", server), new KeyValuePair<string, object?>("reason", reason));

    public void CallStarted(string server) => _inFlight.Add(1, new KeyValuePair<string, object?>("mcp.server", server));

    public void CallFinished(string server, string tool, string outcome, long startTimestamp)
    {
        _inFlight.Add(-1, new KeyValuePair<string, object?>("mcp.server", server));
        var tags = new TagList { { "mcp.server", server }, { "mcp.tool", tool }, { "outcome", outcome } };
        _callDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public void CatalogRefreshed(string server, bool success) =>
        _catalogRefreshes.Add(1, new KeyValuePair<string, object?>("mcp.server", server), new KeyValuePair<string, object?>("outcome", success ? "ok" : "error"));
}
