using System.Diagnostics.Metrics;

namespace Platform.Usage;

/// <summary>Counters and gauges of the usage pipeline, Meter "Platform.Usage" (shared by Api and Worker).</summary>
public sealed class UsageMetrics : IDisposable
{
    public const string MeterName = "Platform.Usage";

    private readonly Meter _meter;

    public UsageMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        Queued = _meter.CreateCounter<long>("platform.usage.records.queued", "{record}", "Records handed to the in-process queue.");
        Sent = _meter.CreateCounter<long>("platform.usage.records.sent", "{record}", "Records added to the Redis usage stream.");
        Journaled = _meter.CreateCounter<long>("platform.usage.records.journaled", "{record}", "Records written to the local journal.");
        Replayed = _meter.CreateCounter<long>("platform.usage.records.replayed", "{record}", "Journaled records sent to Redis later.");
        JournalCorruptLines = _meter.CreateCounter<long>("platform.usage.journal.corrupt_lines", "{line}", "Torn or corrupt journal lines skipped on replay.");
        Written = _meter.CreateCounter<long>("platform.usage.records.written", "{record}", "Records inserted into PostgreSQL.");
        DuplicatesSkipped = _meter.CreateCounter<long>("platform.usage.records.duplicates", "{record}", "Records already in PostgreSQL (replays, redeliveries).");
        DeadLettered = _meter.CreateCounter<long>("platform.usage.records.dead_lettered", "{record}", "Stream entries moved to the dead-letter stream.");
        UnknownPrice = _meter.CreateCounter<long>("platform.usage.records.unpriced", "{record}", "Records whose model has no price; their cost is null.");
    }

    public Counter<long> Queued { get; }
    public Counter<long> Sent { get; }
    public Counter<long> Journaled { get; }
    public Counter<long> Replayed { get; }
    public Counter<long> JournalCorruptLines { get; }
    public Counter<long> Written { get; }
    public Counter<long> DuplicatesSkipped { get; }
    public Counter<long> DeadLettered { get; }
    public Counter<long> UnknownPrice { get; }

    public void ObserveGauge(string name, string unit, string description, Func<long> observe) =>
        _meter.CreateObservableGauge(name, observe, unit, description);

    public void Dispose() => _meter.Dispose();
}
