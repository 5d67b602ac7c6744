using Microsoft.Extensions.Caching.Hybrid;
using Platform.Redis;
using Platform.Testing;

namespace Platform.Caching.Tests.HybridCaching;

/// <summary>
/// Builds <see cref="PlatformHybridCache"/> instances that stand for separate Api instances: each has
/// its own Redis connection and memory, all share one key prefix and invalidation channel per test.
/// </summary>
public sealed class CacheInstances : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _prefix = SharedServers.UniquePrefix("cache");

    public PlatformHybridCacheOptions Options(long maximumPayloadBytes = 1 << 20) => new()
    {
        KeyPrefix = _prefix,
        InvalidationChannel = _prefix + "invalidate",
        MaximumPayloadBytes = maximumPayloadBytes,
        MaximumKeyLength = 200,
    };

    public async Task<PlatformHybridCache> CreateAsync(string? connectionString = null, PlatformHybridCacheOptions? options = null)
    {
        var redis = await RedisConnection.ConnectAsync(connectionString ?? await SharedServers.GetRedisConnectionStringAsync());
        var cache = new PlatformHybridCache(options ?? Options(), redis);
        await cache.Initialization;
        _owned.Add(redis);
        _owned.Add(cache);
        return cache;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    public static HybridCacheEntryOptions Expiring(TimeSpan expiration, TimeSpan? local = null, HybridCacheEntryFlags flags = HybridCacheEntryFlags.None) =>
        new() { Expiration = expiration, LocalCacheExpiration = local ?? expiration, Flags = flags };
}
