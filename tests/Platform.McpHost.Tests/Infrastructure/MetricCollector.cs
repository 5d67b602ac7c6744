using System.Diagnostics.Metrics;

namespace Platform.McpHost.Tests.Infrastructure;

/// <summary>Listens to one Platform.McpHost instrument.</summary>
public sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;
    private readonly List<(string?, string?)> _tags = [];

    /// <param name="meterFactory">Only this host's meter when given: other test classes run their own hosts at the same time.</param>
    public MetricCollector(string instrument, IMeterFactory? meterFactory = null)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == "Platform.McpHost" && i.Name == instrument && (meterFactory is null || i.Meter.Scope == meterFactory))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? tool = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "tool") tool = tag.Value as string;
                if (tag.Key == "outcome") outcome = tag.Value as string;
            }
            lock (_tags)
            {
                _total += value;
                _tags.Add((tool, outcome));
            }
        });
        _listener.Start();
    }

    public long Total { get { lock (_tags) { return _total; } } }

    public List<(string?, string?)> Tags { get { lock (_tags) { return [.. _tags]; } } }

    public void Dispose() => _listener.Dispose();
}
