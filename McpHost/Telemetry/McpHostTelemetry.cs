using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.McpHost.Telemetry;

/// <summary>The "Platform.McpHost" meter and activity source: sessions and tool calls.</summary>
public sealed class McpHostTelemetry
{
    public const string Name = "Platform.McpHost";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _createdSessions;
    private readonly Counter<long> _expiredSessions;
    private readonly Counter<long> _toolCalls;
    private readonly Histogram<double> _toolCallDuration;

    public McpHostTelemetry(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(Name);
        _createdSessions = meter.CreateCounter<long>("mcphost.sessions.created", "{session}", "MCP sessions created by initialize.");
        _expiredSessions = meter.CreateCounter<long>("mcphost.sessions.expired", "{session}", "MCP sessions closed for idleness or to make room.");
        _toolCalls = meter.CreateCounter<long>("mcphost.tool.calls", "{call}", "Tool calls by tool and outcome (ok, error, exception).");
        _toolCallDuration = meter.CreateHistogram<double>("mcphost.tool.call.duration", "s", "Tool call duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
    }

    /// <summary>Publishes the open-session gauge; the session store calls this once with its own count.</summary>
    public void ObserveActiveSessions(Func<int> count) =>
        _meter.CreateObservableGauge("mcphost.sessions.active", count, "{session}", "MCP sessions currently open.");

    public void SessionOpened() => _createdSessions.Add(1);

    public void SessionClosed(bool expired)
    {
        if (expired)
        {
            _expiredSessions.Add(1);
        }
    }

    public void ToolCalled(string tool, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "tool", tool }, { "outcome", outcome } };
        _toolCalls.Add(1, tags);
        _toolCallDuration.Record(duration.TotalSeconds, tags);
    }
}
