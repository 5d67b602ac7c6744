namespace Platform.Caching;

/// <summary>What <c>GET /v1/cache/stats</c> reports: lookups overall, totals per level, the memory cache's size.</summary>
public sealed record CacheStatistics(
    long Hits,
    long Misses,
    CacheLevelStatistics Local,
    CacheLevelStatistics Distributed,
    long FactoryCalls,
    long LocalEntries,
    long LocalBytes,
    bool DistributedAvailable)
{
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
