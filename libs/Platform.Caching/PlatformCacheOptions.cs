namespace Platform.Caching;

/// <summary>
/// What the platform adds around HybridCache, bound from the same <c>HybridCache</c> section as
/// HybridCacheOptions (MaximumPayloadBytes, MaximumKeyLength, DefaultEntryOptions).
/// </summary>
public sealed class PlatformCacheOptions
{
    public const string SectionName = "HybridCache";

    /// <summary>
    /// Size limit of the process's memory cache (HybridCache's L1), in payload bytes: HybridCache gives
    /// each entry its serialized size. Other users of the shared IMemoryCache count their own units.
    /// </summary>
    public long LocalCacheSizeLimitBytes { get; set; } = 64L << 20;

    /// <summary>Prefix of every Redis key of the cache (RedisCacheOptions.InstanceName).</summary>
    public string KeyPrefix { get; set; } = "platform:cache:";

    /// <summary>Redis pub/sub channel carrying key and tag invalidations between instances.</summary>
    public string InvalidationChannel { get; set; } = "platform:cache:invalidate";
}
