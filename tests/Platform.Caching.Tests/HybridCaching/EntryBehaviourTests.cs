using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Caching.Tests.HybridCaching;

public sealed class EntryBehaviourTests : IAsyncLifetime
{
    private static readonly HybridCacheEntryOptions LongLived = CacheInstances.Expiring(TimeSpan.FromMinutes(5));
    private readonly CacheInstances _instances = new();
    private readonly CountingFactory _factory = new();
    private ClusteredHybridCache _cache = null!;
    private ClusteredHybridCache _other = null!;

    public async Task InitializeAsync()
    {
        _cache = await _instances.CreateAsync(settings: _instances.Settings(maximumPayloadBytes: 1024));
        _other = await _instances.CreateAsync(settings: _instances.Settings(maximumPayloadBytes: 1024));
    }

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    [Fact]
    public async Task OversizePayloadIsReturnedButNeverWrittenToRedis()
    {
        var calls = 0;
        var big = new Basket { Items = [new string('x', 4096)] };
        ValueTask<Basket> Factory(CancellationToken _) { calls++; return ValueTask.FromResult(big); }

        Assert.Equal(big.Items, (await _cache.GetOrCreateAsync("big", Factory, LongLived)).Items);
        Assert.Equal(big.Items, (await _cache.GetOrCreateAsync("big", Factory, LongLived)).Items);
        Assert.Equal(big.Items, (await _other.GetOrCreateAsync("big", Factory, LongLived)).Items);

        // HybridCache keeps it in this instance's memory (bounded by the memory cache's size limit), never in Redis.
        Assert.Equal(2, calls);
        Assert.Equal(0, _cache.GetStatistics().Distributed.Sets);
    }

    [Fact]
    public async Task MutableValuesAreNotSharedBetweenCallers()
    {
        var first = await _cache.GetOrCreateAsync("mutable", _ => ValueTask.FromResult(new Basket { Items = ["apple"] }), LongLived);
        first.Items.Add("stolen");

        var second = await _cache.GetOrCreateAsync("mutable", _ => ValueTask.FromResult(new Basket()), LongLived);

        Assert.Equal(["apple"], second.Items);
        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task ImmutableValuesAreSharedFromMemory()
    {
        var first = await _cache.GetOrCreateAsync("immutable", _ => ValueTask.FromResult(new Price("EUR", 12.5m)), LongLived);
        var second = await _cache.GetOrCreateAsync("immutable", _ => ValueTask.FromResult(new Price("USD", 1m)), LongLived);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task KeysOverTheLimitBypassTheCache()
    {
        var key = new string('k', 500);

        await _cache.GetOrCreateAsync(key, _factory.NextAsync, LongLived);
        await _cache.GetOrCreateAsync(key, _factory.NextAsync, LongLived);

        Assert.Equal(2, _factory.Calls);
    }

    [Fact]
    public async Task DisableUnderlyingDataOnlyReadsTheCache()
    {
        var options = CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableUnderlyingData);

        Assert.Null(await _cache.GetOrCreateAsync<string?>("absent", async ct => await _factory.NextAsync(ct), options));
        Assert.Equal(0, _factory.Calls);
    }

    [Fact]
    public async Task DisableDistributedCacheWriteKeepsTheValueLocal()
    {
        var options = CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableDistributedCacheWrite);
        await _cache.GetOrCreateAsync("local-only", _factory.NextAsync, options);

        Assert.Equal("value-1", await _cache.GetOrCreateAsync("local-only", _factory.NextAsync, LongLived));
        Assert.Equal("value-2", await _other.GetOrCreateAsync("local-only", _factory.NextAsync, LongLived));
    }

    [Fact]
    public async Task DisableLocalCacheServesEveryReadFromRedis()
    {
        var options = CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableLocalCache);
        await _cache.GetOrCreateAsync("distributed-only", _factory.NextAsync, options);
        await _instances.WaitUntilInRedisAsync("distributed-only");
        await _cache.GetOrCreateAsync("distributed-only", _factory.NextAsync, options);

        var statistics = _cache.GetStatistics();
        Assert.Equal(1, _factory.Calls);
        Assert.Equal(0, statistics.Local.Sets);
        Assert.Equal(1, statistics.Distributed.Hits);
    }

    [Fact]
    public async Task DisableReadsStillRefreshTheEntry()
    {
        await _cache.GetOrCreateAsync("refreshed", _factory.NextAsync, LongLived);
        var skipRead = CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead);

        Assert.Equal("value-2", await _cache.GetOrCreateAsync("refreshed", _factory.NextAsync, skipRead));
        var fromRedis = CacheInstances.Expiring(TimeSpan.FromMinutes(5), flags: HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableUnderlyingData);
        await Eventually.HoldsAsync(
            async () => await _other.GetOrCreateAsync<string?>("refreshed", _ => ValueTask.FromResult<string?>(null), fromRedis) == "value-2",
            "the other instance reads the refreshed value from Redis");
    }

    [Fact]
    public async Task ByteArraysAndCustomSerializersRoundTrip()
    {
        byte[] bytes = [1, 2, 3, 0, 255];
        await _cache.SetAsync("bytes", bytes, LongLived);

        var fromOther = await _other.GetOrCreateAsync("bytes", _ => ValueTask.FromResult(Array.Empty<byte>()), LongLived);

        Assert.Equal(bytes, fromOther);
    }

    [Fact]
    public async Task MetricsAreReportedPerLevel()
    {
        var measurements = new List<(string Instrument, string? Level)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CacheMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            string? level = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "cache.level")
                {
                    level = tag.Value as string;
                }
            }
            lock (measurements)
            {
                measurements.Add((instrument.Name, level));
            }
        });
        listener.Start();

        await _cache.GetOrCreateAsync("measured", _factory.NextAsync, LongLived);
        await _cache.GetOrCreateAsync("measured", _factory.NextAsync, LongLived);
        await _instances.WaitUntilInRedisAsync("measured");
        await _other.GetOrCreateAsync("measured", _factory.NextAsync, LongLived);

        lock (measurements)
        {
            Assert.Contains(("platform.cache.misses", "l1"), measurements);
            Assert.Contains(("platform.cache.hits", "l1"), measurements);
            Assert.Contains(("platform.cache.hits", "l2"), measurements);
            Assert.Contains(("platform.cache.sets", "l2"), measurements);
            Assert.Contains(("platform.cache.factory_calls", null), measurements);
            Assert.Contains(("platform.cache.payload.size", null), measurements);
        }
    }

    public sealed class Basket
    {
        public List<string> Items { get; set; } = [];
    }

    [System.ComponentModel.ImmutableObject(true)]
    public sealed record Price(string Currency, decimal Amount);
}
