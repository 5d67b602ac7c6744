namespace Platform.Caching;

/// <summary>Running totals of one cache level since the process started.</summary>
public sealed record CacheLevelStatistics(long Hits, long Misses, long Sets, long Evictions, long Errors)
{
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
