using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Testing;
using StackExchange.Redis;

namespace Platform.Caching.Tests.HybridCaching;

/// <summary>
/// Builds caches that stand for separate Api instances: each is the application's registration
/// (AddPlatformHybridCache) in a container of its own, with its own Redis connection and memory; all
/// share one key prefix and invalidation channel per test.
/// </summary>
public sealed class CacheInstances : IAsyncDisposable
{
    private readonly List<ServiceProvider> _owned = [];
    private readonly string _prefix = SharedServers.UniquePrefix("cache");

    public string KeyPrefix => _prefix;

    public Dictionary<string, string?> Settings(long maximumPayloadBytes = 1 << 20) => new()
    {
        ["HybridCache:KeyPrefix"] = _prefix,
        ["HybridCache:InvalidationChannel"] = _prefix + "invalidate",
        ["HybridCache:MaximumPayloadBytes"] = maximumPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HybridCache:MaximumKeyLength"] = "200",
    };

    public async Task<ClusteredHybridCache> CreateAsync(string? connectionString = null, Dictionary<string, string?>? settings = null)
    {
        var options = ConfigurationOptions.Parse(connectionString ?? await SharedServers.GetRedisConnectionStringAsync());
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? Settings()).Build());
        services.AddLogging();
        services.AddSingleton<IConnectionMultiplexer>(redis);
        services.AddPlatformHybridCache();
        var provider = services.BuildServiceProvider();
        _owned.Add(provider);
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
        var cache = provider.GetRequiredService<ClusteredHybridCache>();
        await cache.Initialization;
        return cache;
    }

    /// <summary>
    /// HybridCache hands the caller its value before its write to Redis has finished; another instance reads
    /// it from Redis once that write is done.
    /// </summary>
    public Task WaitUntilInRedisAsync(string key) =>
        Eventually.HoldsAsync(
            () => _owned[0].GetRequiredService<IConnectionMultiplexer>().GetDatabase().KeyExistsAsync(_prefix + key),
            $"'{key}' reaches Redis");

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            foreach (var hosted in _owned[i].GetServices<IHostedService>())
            {
                await hosted.StopAsync(CancellationToken.None);
            }
            var redis = _owned[i].GetRequiredService<IConnectionMultiplexer>();
            await _owned[i].DisposeAsync();
            await redis.DisposeAsync();
        }
    }

    public static HybridCacheEntryOptions Expiring(TimeSpan expiration, TimeSpan? local = null, HybridCacheEntryFlags flags = HybridCacheEntryFlags.None) =>
        new() { Expiration = expiration, LocalCacheExpiration = local ?? expiration, Flags = flags };
}
