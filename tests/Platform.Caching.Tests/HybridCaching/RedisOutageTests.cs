using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.Testing;
using StackExchange.Redis;

namespace Platform.Caching.Tests.HybridCaching;

/// <summary>Redis stopped and restarted under a running cache, on a private server.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private static readonly HybridCacheEntryOptions LongLived = CacheInstances.Expiring(TimeSpan.FromMinutes(5));
    private RedisServer _server = null!;
    private readonly string _prefix = SharedServers.UniquePrefix("outage");
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.LaunchAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = _server.ConnectionString + ",connectTimeout=500,syncTimeout=1000";
        builder.Configuration["HybridCache:KeyPrefix"] = _prefix;
        builder.Configuration["HybridCache:InvalidationChannel"] = _prefix + "invalidate";
        // As the Api registers Redis (Api/Extensions): FailFast, no Aspire health check.
        builder.AddRedisClient("redis", static s => s.DisableHealthChecks = true, static o => o.BacklogPolicy = BacklogPolicy.FailFast);
        builder.Services.AddPlatformHybridCache();
        _host = builder.Build();
        await _host.StartAsync();
        await Cache.Initialization;
        await Eventually.HoldsAsync(() => Task.FromResult(Cache.IsDistributedCacheAvailable), "the cache connects to Redis");
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _server.DisposeAsync();
    }

    private ClusteredHybridCache Cache => _host.Services.GetRequiredService<ClusteredHybridCache>();

    [Fact]
    public async Task RequestsSucceedFromMemoryWhileRedisIsDownAndRedisIsUsedAgainAfterwards()
    {
        var factory = new CountingFactory();
        Assert.Equal(HealthStatus.Healthy, await CheckHealthAsync());
        Assert.Same(Cache, _host.Services.GetRequiredService<HybridCache>());

        await _server.KillAsync();
        await Eventually.HoldsAsync(async () => await CheckHealthAsync() == HealthStatus.Degraded, "health reports Degraded with Redis down");

        var whileDown = await Cache.GetOrCreateAsync("outage", factory.NextAsync, LongLived);
        Assert.Equal(whileDown, await Cache.GetOrCreateAsync("outage", factory.NextAsync, LongLived));
        Assert.Equal(1, factory.Calls);

        await _server.StartAsync();
        await Eventually.HoldsAsync(async () => await CheckHealthAsync() == HealthStatus.Healthy, "health recovers once Redis is back");

        var errorsBefore = Cache.GetStatistics().Distributed.Errors;
        await Cache.GetOrCreateAsync("after-restart", factory.NextAsync, LongLived);
        await using var instances = new CacheInstances();
        var coldInstance = await instances.CreateAsync(_server.ConnectionString, new Dictionary<string, string?>
        {
            ["HybridCache:KeyPrefix"] = _prefix,
            ["HybridCache:InvalidationChannel"] = _prefix + "invalidate",
        });
        Assert.Equal("value-2", await coldInstance.GetOrCreateAsync("after-restart", factory.NextAsync, LongLived));
        Assert.Equal(2, factory.Calls);
        Assert.Equal(errorsBefore, Cache.GetStatistics().Distributed.Errors);
    }

    [Fact]
    public async Task AfterARedisRestartTheInstanceForgetsWhatItHeldInMemory()
    {
        var factory = new CountingFactory();
        await Cache.GetOrCreateAsync("held", factory.NextAsync, LongLived);
        Assert.Equal("value-1", await ReadLocalOnlyAsync("held"));

        // Invalidations published while this instance was cut off never reached it.
        await _server.RestartAsync();

        await Eventually.HoldsAsync(async () => await ReadLocalOnlyAsync("held") is null, "the memory copy is dropped once pub/sub reconnects");
        Assert.Equal("value-2", await Cache.GetOrCreateAsync("held", factory.NextAsync, LongLived));
        Assert.Equal("value-2", await ReadLocalOnlyAsync("held"));
    }

    private ValueTask<string?> ReadLocalOnlyAsync(string key) =>
        Cache.GetOrCreateAsync<string?>(key, _ => ValueTask.FromResult<string?>(null),
            CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite));

    private async Task<HealthStatus> CheckHealthAsync()
    {
        var report = await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "cache-l2");
        return report.Entries["cache-l2"].Status;
    }
}
