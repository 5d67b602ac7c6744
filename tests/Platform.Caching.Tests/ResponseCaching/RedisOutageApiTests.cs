using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Testing;

namespace Platform.Caching.Tests.ResponseCaching;

/// <summary>Redis killed and restarted under a running Api (private server).</summary>
public sealed class RedisOutageApiTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private CachingApiSettings _settings = null!;
    private CachingApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.LaunchAsync();
        _settings = await CachingApiFactory.CreateSettingsAsync(_redis.ConnectionString + ",connectTimeout=500,syncTimeout=1000");
        _api = new CachingApiFactory(_settings);
        await _api.GetStartedCacheAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task RequestsSucceedWithRedisDownAndRedisIsUsedAgainOnceBack()
    {
        var client = _api.CreateClient();
        var cache = await _api.GetStartedCacheAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(cache.IsDistributedCacheAvailable), "the Api connects to Redis");

        await _redis.KillAsync();
        await Eventually.HoldsAsync(async () => await CacheHealthAsync() == HealthStatus.Degraded, "cache-l2 reports Degraded");
        var body = ChatCalls.Request("while redis is down " + Guid.NewGuid().ToString("N"));
        var first = await ChatCalls.PostAsync(client, body);
        var second = await ChatCalls.PostAsync(client, body);
        Assert.Equal((200, "miss"), (first.Status, first.Cache));
        Assert.Equal((200, "hit"), (second.Status, second.Cache));

        await _redis.StartAsync();
        await Eventually.HoldsAsync(async () => await CacheHealthAsync() == HealthStatus.Healthy, "cache-l2 recovers");
        var afterRestart = ChatCalls.Request("after restart " + Guid.NewGuid().ToString("N"));
        Assert.Equal("miss", (await ChatCalls.PostAsync(client, afterRestart)).Cache);
        await using var otherInstance = new CachingApiFactory(_settings);
        // A new instance reads L2 only once its own connection is up; until then it answers from the model.
        var otherCache = await otherInstance.GetStartedCacheAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(otherCache.IsDistributedCacheAvailable), "the second instance connects to Redis");
        Assert.Equal("hit", (await ChatCalls.PostAsync(otherInstance.CreateClient(), afterRestart)).Cache);
        Assert.Equal(0, otherInstance.Upstream.Calls);
    }

    private async Task<HealthStatus> CacheHealthAsync()
    {
        var report = await _api.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "cache-l2");
        return report.Entries["cache-l2"].Status;
    }
}
