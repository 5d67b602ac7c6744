using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Caching.Serialization;
using Platform.Redis;

namespace Platform.Caching;

/// <summary>
/// A two-level <see cref="HybridCache"/>: a size-limited in-memory L1 and Redis as L2, with per-key
/// stampede protection, tags (also "*") that hold across instances, and L1 invalidation across
/// instances over Redis pub/sub. Redis being down never fails a call: the cache runs on L1 alone.
/// </summary>
public sealed class PlatformHybridCache : HybridCache, IAsyncDisposable, IDisposable
{
    private readonly PlatformHybridCacheOptions _options;
    private readonly RedisConnection? _redis;
    private readonly HybridCacheSerializerRegistry _serializers;
    private readonly CacheMetrics _metrics;
    private readonly ILogger _logger;
    private readonly LocalCacheTier _local;
    private readonly RedisCacheTier _distributed;
    private readonly CacheInvalidationBus _bus;
    private readonly TagInvalidations _tags = new();
    private readonly CacheFlights _flights = new();
    private readonly HybridCacheEntryFlags _defaultFlags;

    public PlatformHybridCache(
        PlatformHybridCacheOptions options,
        RedisConnection? redis,
        HybridCacheSerializerRegistry? serializers = null,
        CacheMetrics? metrics = null,
        ILogger<PlatformHybridCache>? logger = null)
    {
        _options = options;
        _redis = redis;
        _serializers = serializers ?? new HybridCacheSerializerRegistry();
        _metrics = metrics ?? new CacheMetrics();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _defaultFlags = options.DefaultEntryOptions?.Flags ?? HybridCacheEntryFlags.None;
        _local = new LocalCacheTier(options.LocalCacheSizeLimitBytes, _tags, _serializers, _metrics, _logger);
        _distributed = new RedisCacheTier(redis, options, _metrics, _logger);
        _bus = new CacheInvalidationBus(redis, options.InvalidationChannel, _logger);
        _bus.KeyRemoved += key => _local.Remove(key);
        _bus.TagInvalidated += InvalidateTagLocally;
        if (redis is not null)
        {
            redis.ConnectionChanged += OnConnectionChanged;
        }
        Initialization = _bus.EnsureSubscribedAsync();
    }

    /// <summary>Completes once the cache listens for other instances' invalidations (or could not, with Redis down).</summary>
    public Task Initialization { get; }

    /// <summary>True while L2 (Redis) is reachable.</summary>
    public bool IsDistributedCacheAvailable => _distributed.IsAvailable;

    public CacheMetrics Metrics => _metrics;

    public CacheStatistics GetStatistics() => new(
        _metrics.LookupHits,
        _metrics.LookupMisses,
        _metrics.GetLocal(),
        _metrics.GetDistributed(),
        _metrics.FactoryCalls,
        _local.Count,
        _local.Bytes,
        _distributed.IsAvailable);

    public override async ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var flags = options?.Flags ?? _defaultFlags;
        if (!IsValidKey(key))
        {
            return await CallFactoryUncachedAsync(state, factory, flags, cancellationToken);
        }

        if ((flags & HybridCacheEntryFlags.DisableLocalCacheRead) == 0)
        {
            if (_local.TryGet<T>(key, out var cached))
            {
                _metrics.LookupHit();
                return cached;
            }
        }

        var tagArray = NormalizeTags(tags);
        var flight = _flights.Join<T>(key, flags, token => FetchAsync(key, state, factory, options, tagArray, flags, token));
        try
        {
            var result = await flight.Completion.WaitAsync(cancellationToken);
            return result.Shareable || result.Payload is null ? result.Value : Deserialize<T>(result.Payload);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            flight.Leave();
            throw;
        }
    }

    public override async ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (!IsValidKey(key))
        {
            return;
        }
        var flags = options?.Flags ?? _defaultFlags;
        var payload = TrySerialize(value);
        if (payload is not null)
        {
            await StoreAsync(key, value, payload, options, NormalizeTags(tags), flags, cancellationToken);
        }
        // Other instances may hold the previous value in L1.
        await _bus.PublishKeyRemovedAsync(key, cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        RemoveAsync([key], cancellationToken);

    public override async ValueTask RemoveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var list = (keys ?? []).Where(k => !string.IsNullOrEmpty(k)).ToArray();
        foreach (var key in list)
        {
            _local.Remove(key);
        }
        await _distributed.RemoveAsync(list, cancellationToken);
        foreach (var key in list)
        {
            await _bus.PublishKeyRemovedAsync(key, cancellationToken);
        }
    }

    public override async ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return;
        }
        var ticks = DateTime.UtcNow.Ticks;
        InvalidateTagLocally(tag, ticks);
        await _distributed.SetTagInvalidationAsync(tag, ticks, cancellationToken);
        await _bus.PublishTagInvalidatedAsync(tag, ticks, cancellationToken);
    }

    public override async ValueTask RemoveByTagAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        foreach (var tag in tags ?? [])
        {
            await RemoveByTagAsync(tag, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            _redis.ConnectionChanged -= OnConnectionChanged;
        }
        await _bus.DisposeAsync();
        _local.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<CacheFlightResult<T>> FetchAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options, string[] tags, HybridCacheEntryFlags flags, CancellationToken cancellationToken)
    {
        var shareable = ImmutableTypes.IsImmutable<T>();
        if ((flags & HybridCacheEntryFlags.DisableDistributedCacheRead) == 0 && _distributed.IsAvailable)
        {
            var fromDistributed = await TryGetDistributedAsync<T>(key, options, flags, cancellationToken);
            if (fromDistributed is not null)
            {
                _metrics.LookupHit();
                return fromDistributed with { Shareable = shareable };
            }
        }

        _metrics.LookupMiss();
        if ((flags & HybridCacheEntryFlags.DisableUnderlyingData) != 0)
        {
            return new CacheFlightResult<T>(default!, null, true);
        }

        _metrics.FactoryCall();
        var value = await factory(state, cancellationToken);
        var payload = TrySerialize(value);
        if (payload is not null)
        {
            await StoreAsync(key, value, payload, options, tags, flags, cancellationToken);
        }
        return new CacheFlightResult<T>(value, payload, shareable || payload is null);
    }

    private async Task<CacheFlightResult<T>?> TryGetDistributedAsync<T>(string key, HybridCacheEntryOptions? options, HybridCacheEntryFlags flags, CancellationToken cancellationToken)
    {
        var envelope = await _distributed.GetAsync(key, cancellationToken);
        var now = DateTime.UtcNow.Ticks;
        if (envelope is null || envelope.ExpiresTicks <= now || !await IsCurrentAsync(envelope, cancellationToken))
        {
            _metrics.Miss(CacheLevel.Distributed);
            return null;
        }
        T value;
        try
        {
            value = _serializers.Get<T>().Deserialize(new ReadOnlySequence<byte>(envelope.Payload));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _metrics.Error(CacheLevel.Distributed);
            _logger.LogWarning(exception, "Cached value for {Key} could not be read as {Type}; treating it as a miss.", key, typeof(T).Name);
            return null;
        }
        _metrics.Hit(CacheLevel.Distributed);

        var payload = envelope.Payload.ToArray();
        if ((flags & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0)
        {
            var remaining = TimeSpan.FromTicks(envelope.ExpiresTicks - now);
            var local = Min(ResolveLocalExpiration(options), remaining);
            _local.Set(key, new LocalCacheEntry(payload, ImmutableTypes.IsImmutable<T>() ? value : null, envelope.CreatedTicks, envelope.Tags), local);
        }
        return new CacheFlightResult<T>(value, payload, false);
    }

    private async Task<bool> IsCurrentAsync(CacheEnvelope envelope, CancellationToken cancellationToken)
    {
        // Another instance may have invalidated a tag while we were not listening: ask Redis, not just memory.
        string[] tags = [.. envelope.Tags, TagInvalidations.All];
        var invalidations = await _distributed.GetTagInvalidationsAsync(tags, cancellationToken);
        if (invalidations is null)
        {
            return false;
        }
        for (var i = 0; i < tags.Length; i++)
        {
            if (invalidations[i] > 0)
            {
                _tags.Record(tags[i], invalidations[i]);
            }
        }
        return _tags.IsCurrent(envelope.CreatedTicks, envelope.Tags);
    }

    private async Task StoreAsync<T>(string key, T value, byte[] payload, HybridCacheEntryOptions? options, string[] tags, HybridCacheEntryFlags flags, CancellationToken cancellationToken)
    {
        _metrics.Payload(payload.Length);
        if (payload.Length > _options.MaximumPayloadBytes)
        {
            _metrics.Error(CacheLevel.Local);
            _logger.LogWarning("Value for {Key} is {Size} bytes, over the {Limit}-byte limit: not cached.", key, payload.Length, _options.MaximumPayloadBytes);
            return;
        }
        var created = DateTime.UtcNow.Ticks;
        var expiration = Min(options?.Expiration ?? _options.DefaultEntryOptions?.Expiration ?? _options.DefaultExpiration, _options.TagInvalidationRetention);
        if ((flags & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0)
        {
            var shared = ImmutableTypes.IsImmutable<T>() ? (object?)value : null;
            _local.Set(key, new LocalCacheEntry(payload, shared, created, tags), Min(ResolveLocalExpiration(options), expiration));
        }
        if ((flags & HybridCacheEntryFlags.DisableDistributedCacheWrite) == 0)
        {
            var envelope = new CacheEnvelope(created, created + expiration.Ticks, tags, payload);
            await _distributed.SetAsync(key, envelope, expiration, cancellationToken);
        }
    }

    private async ValueTask<T> CallFactoryUncachedAsync<TState, T>(TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryFlags flags, CancellationToken cancellationToken)
    {
        _metrics.LookupMiss();
        if ((flags & HybridCacheEntryFlags.DisableUnderlyingData) != 0)
        {
            return default!;
        }
        _metrics.FactoryCall();
        return await factory(state, cancellationToken);
    }

    private byte[]? TrySerialize<T>(T value)
    {
        if (value is null)
        {
            return null;
        }
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            _serializers.Get<T>().Serialize(value, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _metrics.Error(CacheLevel.Local);
            _logger.LogWarning(exception, "A {Type} value could not be serialized: not cached.", typeof(T).Name);
            return null;
        }
    }

    private T Deserialize<T>(byte[] payload) => _serializers.Get<T>().Deserialize(new ReadOnlySequence<byte>(payload));

    private bool IsValidKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            _logger.LogWarning("Empty cache key: the cache is bypassed.");
            return false;
        }
        if (key.Length > _options.MaximumKeyLength)
        {
            _logger.LogWarning("Cache key of {Length} characters is over the {Limit}-character limit: the cache is bypassed.", key.Length, _options.MaximumKeyLength);
            return false;
        }
        return true;
    }

    private TimeSpan ResolveLocalExpiration(HybridCacheEntryOptions? options) =>
        options?.LocalCacheExpiration ?? options?.Expiration
        ?? _options.DefaultEntryOptions?.LocalCacheExpiration ?? _options.DefaultLocalCacheExpiration;

    private static string[] NormalizeTags(IEnumerable<string>? tags) =>
        tags is null ? [] : tags.Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal).ToArray();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void InvalidateTagLocally(string tag, long ticks)
    {
        _tags.Record(tag, ticks);
        if (tag == TagInvalidations.All)
        {
            _local.Clear();
        }
    }

    private void OnConnectionChanged(object? sender, bool connected)
    {
        if (!connected)
        {
            _logger.LogWarning("Redis connection lost: the cache serves from memory only until it is back.");
            return;
        }
        // Invalidations published while we were disconnected never reached us: start L1 afresh.
        _local.Clear();
        _ = _bus.EnsureSubscribedAsync();
    }
}
