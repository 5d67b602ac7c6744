using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Caching;
using Platform.Caching.Hosting;
using Platform.Caching.Serialization;
using Platform.Redis;

namespace Microsoft.Extensions.DependencyInjection;

public static class HybridCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PlatformHybridCache"/> as the <see cref="HybridCache"/>, options bound from the
    /// <c>HybridCache</c> section, and the "cache-l2" health check. L2 uses the registered
    /// <see cref="RedisConnection"/> when there is one (see AddRedisClient); without it the cache is memory only.
    /// </summary>
    public static IServiceCollection AddPlatformHybridCache(this IServiceCollection services, Action<PlatformHybridCacheOptions>? configure = null)
    {
        var options = services.AddOptions<PlatformHybridCacheOptions>().BindConfiguration(PlatformHybridCacheOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.AddMetrics();
        services.TryAddSingleton(sp => new CacheMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new HybridCacheSerializerRegistry(sp, sp.GetServices<IHybridCacheSerializerFactory>()));
        services.TryAddSingleton(sp => new PlatformHybridCache(
            sp.GetRequiredService<IOptions<PlatformHybridCacheOptions>>().Value,
            sp.GetService<RedisConnection>(),
            sp.GetRequiredService<HybridCacheSerializerRegistry>(),
            sp.GetRequiredService<CacheMetrics>(),
            sp.GetService<ILogger<PlatformHybridCache>>()));
        services.TryAddSingleton<HybridCache>(sp => sp.GetRequiredService<PlatformHybridCache>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            DistributedCacheHealthCheck.Name,
            sp => new DistributedCacheHealthCheck(sp.GetRequiredService<PlatformHybridCache>()),
            HealthStatus.Degraded,
            tags: null));
        return services;
    }

    /// <summary>Adds a serializer factory; factories registered later are asked first.</summary>
    public static IServiceCollection AddHybridCacheSerializerFactory<TFactory>(this IServiceCollection services)
        where TFactory : class, IHybridCacheSerializerFactory
    {
        services.AddSingleton<IHybridCacheSerializerFactory, TFactory>();
        return services;
    }
}
