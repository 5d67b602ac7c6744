using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Caching;
using Platform.Caching.Hosting;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

public static class HybridCacheServiceCollectionExtensions
{
    /// <summary>
    /// Microsoft.Extensions.Caching.Hybrid's HybridCache with Redis as L2
    /// (Microsoft.Extensions.Caching.StackExchangeRedis on the application's shared
    /// <see cref="IConnectionMultiplexer"/>, from AddRedisClient), resolved as <see cref="HybridCache"/> and as
    /// <see cref="ClusteredHybridCache"/>: invalidations reach every instance, lookups are counted per level.
    /// Settings: the <c>HybridCache</c> section (<see cref="HybridCacheOptions"/> and <see cref="PlatformCacheOptions"/>).
    /// Adds the "cache-l2" health check (Degraded while Redis is unreachable).
    /// </summary>
    public static IHybridCacheBuilder AddPlatformHybridCache(this IServiceCollection services)
    {
        services.AddOptions<PlatformCacheOptions>().BindConfiguration(PlatformCacheOptions.SectionName);
        services.AddOptions<HybridCacheOptions>().BindConfiguration(PlatformCacheOptions.SectionName);
        services.AddMetrics();
        services.TryAddSingleton(sp => new CacheMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));

        // L1: the process's memory cache, bounded; statistics feed GET /v1/cache/stats.
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<PlatformCacheOptions>>((memory, platform) =>
        {
            memory.SizeLimit = platform.Value.LocalCacheSizeLimitBytes;
            memory.TrackStatistics = true;
        });

        // L2: Redis through the shared connection; RedisCache never opens one of its own.
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider, IOptions<PlatformCacheOptions>>((redis, sp, platform) =>
        {
            redis.InstanceName = platform.Value.KeyPrefix;
            redis.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
        });
        // Counted and guarded (MeteredDistributedCache). The RedisCache is made here rather than by the container:
        // the container would dispose it at shutdown, and RedisCache closes the connection it was given; and the
        // container's own RedisCache asks the container for HybridCache while HybridCache is being built.
        services.RemoveAll<IDistributedCache>();
        services.AddSingleton<IDistributedCache>(sp => new MeteredDistributedCache(
            new RedisCache(sp.GetRequiredService<IOptions<RedisCacheOptions>>()),
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<CacheMetrics>(),
            sp.GetRequiredService<ILogger<MeteredDistributedCache>>()));

        var builder = services.AddHybridCache();
        // HybridCache itself, wrapped: the application resolves ClusteredHybridCache as HybridCache.
        var hybridCache = services.Last(d => d.ServiceType == typeof(HybridCache));
        services.Remove(hybridCache);
        services.AddSingleton(sp => new ClusteredHybridCache(
            (HybridCache)ActivatorUtilities.CreateInstance(sp, hybridCache.ImplementationType!),
            sp.GetRequiredService<CacheInvalidationBus>(),
            sp.GetRequiredService<CacheMetrics>(),
            sp.GetRequiredService<IMemoryCache>(),
            sp.GetRequiredService<IConnectionMultiplexer>()));
        services.AddSingleton<HybridCache>(sp => sp.GetRequiredService<ClusteredHybridCache>());

        services.AddSingleton<CacheInvalidationBus>();
        // Started with the cache attached, so no invalidation arrives before there is a cache to apply it to.
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<ClusteredHybridCache>();
            return sp.GetRequiredService<CacheInvalidationBus>();
        });
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            DistributedCacheHealthCheck.Name,
            sp => new DistributedCacheHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            HealthStatus.Degraded,
            tags: null));
        return builder;
    }
}
