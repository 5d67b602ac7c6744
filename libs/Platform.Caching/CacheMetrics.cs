using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Caching;

/// <summary>
/// Meter "Platform.Caching" plus running totals for <c>GET /v1/cache/stats</c>. Per level (tag
/// <c>cache.level</c> = l1|l2): hits, misses, sets, evictions, errors; factory calls and payload sizes.
/// </summary>
public sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "Platform.Caching";

    private readonly Meter _meter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _sets;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _factoryCalls;
    private readonly Histogram<long> _payloadSize;
    private readonly LevelTotals _local = new();
    private readonly LevelTotals _distributed = new();
    private long _factoryCallTotal;
    private long _lookupHits;
    private long _lookupMisses;

    public CacheMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _hits = _meter.CreateCounter<long>("platform.cache.hits", "{hit}", "Cache lookups answered by the level.");
        _misses = _meter.CreateCounter<long>("platform.cache.misses", "{miss}", "Cache lookups the level could not answer.");
        _sets = _meter.CreateCounter<long>("platform.cache.sets", "{entry}", "Entries written to the level.");
        _evictions = _meter.CreateCounter<long>("platform.cache.evictions", "{entry}", "Entries the level dropped for capacity, expiry or invalidation.");
        _errors = _meter.CreateCounter<long>("platform.cache.errors", "{error}", "Failed operations on the level.");
        _factoryCalls = _meter.CreateCounter<long>("platform.cache.factory_calls", "{call}", "Calls to the underlying data source.");
        _payloadSize = _meter.CreateHistogram<long>("platform.cache.payload.size", "By", "Serialized size of cached values.");
    }

    public long FactoryCalls => Interlocked.Read(ref _factoryCallTotal);

    /// <summary>Lookups answered by either level.</summary>
    public long LookupHits => Interlocked.Read(ref _lookupHits);

    /// <summary>Lookups neither level could answer.</summary>
    public long LookupMisses => Interlocked.Read(ref _lookupMisses);

    public CacheLevelStatistics GetLocal() => _local.Snapshot();

    public CacheLevelStatistics GetDistributed() => _distributed.Snapshot();

    internal void Hit(string level) => Record(_hits, level, ref Totals(level).Hits);

    internal void Miss(string level) => Record(_misses, level, ref Totals(level).Misses);

    internal void Set(string level) => Record(_sets, level, ref Totals(level).Sets);

    internal void Eviction(string level) => Record(_evictions, level, ref Totals(level).Evictions);

    internal void Error(string level) => Record(_errors, level, ref Totals(level).Errors);

    internal void LookupHit() => Interlocked.Increment(ref _lookupHits);

    internal void LookupMiss() => Interlocked.Increment(ref _lookupMisses);

    internal void FactoryCall()
    {
        Interlocked.Increment(ref _factoryCallTotal);
        _factoryCalls.Add(1);
    }

    internal void Payload(long bytes) => _payloadSize.Record(bytes);

    public void Dispose() => _meter.Dispose();

    private LevelTotals Totals(string level) => level == CacheLevel.Local ? _local : _distributed;

    private static void Record(Counter<long> counter, string level, ref long total)
    {
        Interlocked.Increment(ref total);
        counter.Add(1, new KeyValuePair<string, object?>("cache.level", level));
    }

    private sealed class LevelTotals
    {
        public long Hits;
        public long Misses;
        public long Sets;
        public long Evictions;
        public long Errors;

        public CacheLevelStatistics Snapshot() => new(
            Interlocked.Read(ref Hits), Interlocked.Read(ref Misses), Interlocked.Read(ref Sets),
            Interlocked.Read(ref Evictions), Interlocked.Read(ref Errors));
    }
}
