using System.Diagnostics.Metrics;
using Platform.Usage;

namespace Platform.Benchmarks.Usage;

/// <summary>
/// Follows the Worker's <c>platform.usage.records.written</c> counter, which it adds to only after a
/// batch's transaction committed, so the benchmark knows when every row is stored without querying
/// PostgreSQL while the pipeline runs.
/// </summary>
internal sealed class CommittedRowsListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _rows;

    public CommittedRowsListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == UsageMetrics.MeterName && instrument.Name == "platform.usage.records.written")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _rows, value));
        _listener.Start();
    }

    public long Rows => Interlocked.Read(ref _rows);

    public void Dispose() => _listener.Dispose();
}
