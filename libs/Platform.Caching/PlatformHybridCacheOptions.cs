using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Caching;

/// <summary>
/// Options of <see cref="PlatformHybridCache"/>, bound from the <c>HybridCache</c> configuration section.
/// Mirrors Microsoft.Extensions.Caching.Hybrid's HybridCacheOptions so the real package can replace ours.
/// </summary>
public sealed class PlatformHybridCacheOptions
{
    public const string SectionName = "HybridCache";

    /// <summary>Defaults for calls that pass no <see cref="HybridCacheEntryOptions"/> (or leave members null).</summary>
    public HybridCacheEntryOptions? DefaultEntryOptions { get; set; }

    /// <summary>Larger values are returned to the caller but stored in neither level.</summary>
    public long MaximumPayloadBytes { get; set; } = 1 << 20;

    /// <summary>Longer keys bypass the cache (the factory runs every time) and are logged.</summary>
    public int MaximumKeyLength { get; set; } = 1024;

    /// <summary>Size limit of the in-memory level, in payload bytes.</summary>
    public long LocalCacheSizeLimitBytes { get; set; } = 64L << 20;

    public TimeSpan DefaultExpiration { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan DefaultLocalCacheExpiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Prefix of every Redis key the cache writes (entries and tag invalidation timestamps).</summary>
    public string KeyPrefix { get; set; } = "platform:cache:";

    /// <summary>Redis pub/sub channel carrying key and tag invalidations between instances.</summary>
    public string InvalidationChannel { get; set; } = "platform:cache:invalidate";

    /// <summary>
    /// How long a tag invalidation is remembered in Redis. Entries never live longer than this, so an
    /// entry cannot outlive the record of its invalidation.
    /// </summary>
    public TimeSpan TagInvalidationRetention { get; set; } = TimeSpan.FromDays(7);
}
