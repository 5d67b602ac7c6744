using System.Diagnostics.Metrics;

namespace Platform.McpHost.Tests.Infrastructure;

/// <summary>Listens to one Platform.McpHost instrument.</summary>
public sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;
    private readonly List<(string?, string?)> _tags = [];

    public MetricCollector(string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == "Platform.McpHost" && i.Name == instrument)
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
