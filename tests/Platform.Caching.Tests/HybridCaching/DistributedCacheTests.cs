using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Caching.Tests.HybridCaching;

/// <summary>Two cache instances with their own memory and one Redis: what one writes or invalidates, the other sees.</summary>
public sealed class DistributedCacheTests : IAsyncLifetime
{
    private static readonly HybridCacheEntryOptions LongLived = CacheInstances.Expiring(TimeSpan.FromMinutes(5));
    private readonly CacheInstances _instances = new();
    private readonly CountingFactory _factory = new();
    private ClusteredHybridCache _first = null!;
    private ClusteredHybridCache _second = null!;

    public async Task InitializeAsync()
    {
        _first = await _instances.CreateAsync();
        _second = await _instances.CreateAsync();
    }

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    [Fact]
    public async Task SecondInstanceWithColdMemoryIsServedFromRedis()
    {
        var written = await _first.GetOrCreateAsync("shared", _factory.NextAsync, LongLived);
        await _instances.WaitUntilInRedisAsync("shared");

        var read = await _second.GetOrCreateAsync("shared", _factory.NextAsync, LongLived);

        Assert.Equal(written, read);
        Assert.Equal(1, _factory.Calls);
        Assert.Equal(1, _second.GetStatistics().Distributed.Hits);
        Assert.Equal(0, _second.GetStatistics().Local.Hits);
    }

    [Fact]
    public async Task RemovalReachesTheOtherInstancesMemory()
    {
        await _first.GetOrCreateAsync("removed", _factory.NextAsync, LongLived);
        await _instances.WaitUntilInRedisAsync("removed");
        // What the second instance holds in memory (from Redis, or its own value if its read raced the write).
        var held = await _second.GetOrCreateAsync("removed", _factory.NextAsync, LongLived);
        var callsBefore = _factory.Calls;

        await _first.RemoveAsync("removed");

        await Eventually.HoldsAsync(
            async () => await ReadLocalOnly(_second, "removed") is null,
            "the second instance drops its local copy after the first removed the key");
        var after = await _second.GetOrCreateAsync("removed", _factory.NextAsync, LongLived);
        Assert.NotEqual(held, after);
        Assert.Equal(callsBefore + 1, _factory.Calls);
    }

    [Fact]
    public async Task TagRemovalHoldsOnEveryInstance()
    {
        await _first.GetOrCreateAsync("tagged", _factory.NextAsync, LongLived, ["tenant:a"]);
        await _first.GetOrCreateAsync("untagged", _factory.NextAsync, LongLived, ["tenant:b"]);
        await _instances.WaitUntilInRedisAsync("tagged");
        await _second.GetOrCreateAsync("tagged", _factory.NextAsync, LongLived, ["tenant:a"]);

        await _first.RemoveByTagAsync("tenant:a");

        Assert.Equal("value-3", await _first.GetOrCreateAsync("tagged", _factory.NextAsync, LongLived, ["tenant:a"]));
        Assert.Equal("value-2", await _first.GetOrCreateAsync("untagged", _factory.NextAsync, LongLived, ["tenant:b"]));
        await Eventually.HoldsAsync(
            async () => await ReadLocalOnly(_second, "tagged") is null,
            "the second instance stops serving the tagged entry from memory");
    }

    [Fact]
    public async Task InstanceThatMissedTheInvalidationStillRejectsTheStaleRedisEntry()
    {
        await _first.GetOrCreateAsync("stale", _factory.NextAsync, LongLived, ["model:x"]);
        await _first.RemoveByTagAsync("model:x");
        var late = await _instances.CreateAsync();

        Assert.Null(await late.GetOrCreateAsync<string?>("stale", _ => ValueTask.FromResult<string?>(null), CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableUnderlyingData)));
    }

    [Fact]
    public async Task RemovingStarInvalidatesEverythingEverywhere()
    {
        await _first.GetOrCreateAsync("one", _factory.NextAsync, LongLived, ["a"]);
        await _first.GetOrCreateAsync("two", _factory.NextAsync, LongLived);
        await _instances.WaitUntilInRedisAsync("two");
        await _second.GetOrCreateAsync("two", _factory.NextAsync, LongLived);

        await _second.RemoveByTagAsync("*");

        Assert.Null(await ReadLocalOnly(_second, "two"));
        Assert.Null(await ReadAnyLevel(_second, "one"));
        await Eventually.HoldsAsync(
            async () => await ReadLocalOnly(_first, "one") is null && await ReadLocalOnly(_first, "two") is null,
            "the first instance drops everything after \"*\" was removed elsewhere");
        Assert.Null(await ReadAnyLevel(_first, "two"));
    }

    [Fact]
    public async Task EntriesExpire()
    {
        var shortLived = CacheInstances.Expiring(TimeSpan.FromMilliseconds(300));
        await _first.GetOrCreateAsync("expiring", _factory.NextAsync, shortLived);

        await Eventually.HoldsAsync(
            async () => await ReadAnyLevel(_first, "expiring") is null && await ReadAnyLevel(_second, "expiring") is null,
            "the entry expires from memory and from Redis");
    }

    [Fact]
    public async Task LocalExpiryFallsBackToRedisUntilTheOverallExpiry()
    {
        var options = CacheInstances.Expiring(TimeSpan.FromMinutes(5), local: TimeSpan.FromMilliseconds(200));
        await _first.GetOrCreateAsync("local-short", _factory.NextAsync, options);

        await Eventually.HoldsAsync(async () => await ReadLocalOnly(_first, "local-short") is null, "the local copy expires");
        Assert.Equal("value-1", await _first.GetOrCreateAsync("local-short", _factory.NextAsync, options));
        Assert.Equal(1, _factory.Calls);
    }

    [Fact]
    public async Task SetOverwritesAndTheOtherInstanceForgetsItsCopy()
    {
        await _first.GetOrCreateAsync("overwritten", _factory.NextAsync, LongLived);
        await _instances.WaitUntilInRedisAsync("overwritten");
        await _second.GetOrCreateAsync("overwritten", _factory.NextAsync, LongLived);

        await _first.SetAsync("overwritten", "replacement", LongLived);

        await Eventually.HoldsAsync(
            async () => await ReadAnyLevel(_second, "overwritten") == "replacement",
            "the second instance reads the replacement");
    }

    private static ValueTask<string?> ReadLocalOnly(ClusteredHybridCache cache, string key) =>
        cache.GetOrCreateAsync<string?>(key, _ => ValueTask.FromResult<string?>(null),
            CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite));

    private static ValueTask<string?> ReadAnyLevel(ClusteredHybridCache cache, string key) =>
        cache.GetOrCreateAsync<string?>(key, _ => ValueTask.FromResult<string?>(null),
            CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableUnderlyingData));
}
