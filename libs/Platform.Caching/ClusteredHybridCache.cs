using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace Platform.Caching;

/// <summary>
/// The application's <see cref="HybridCache"/>: Microsoft.Extensions.Caching.Hybrid's own, with what it
/// lacks for several instances behind one Redis. <see cref="RemoveAsync(string, CancellationToken)"/>,
/// <see cref="RemoveByTagAsync(string, CancellationToken)"/> and <see cref="SetAsync{T}"/> are published on
/// the <see cref="CacheInvalidationBus"/>, so every instance drops its in-memory copy; lookups are counted
/// per level (<see cref="CacheMetrics"/>).
/// </summary>
public sealed class ClusteredHybridCache : HybridCache
{
    private readonly HybridCache _inner;
    private readonly CacheInvalidationBus _bus;
    private readonly CacheMetrics _metrics;
    private readonly IMemoryCache _memory;
    private readonly IConnectionMultiplexer _redis;

    internal ClusteredHybridCache(HybridCache inner, CacheInvalidationBus bus, CacheMetrics metrics, IMemoryCache memory, IConnectionMultiplexer redis)
    {
        _inner = inner;
        _bus = bus;
        _metrics = metrics;
        _memory = memory;
        _redis = redis;
        bus.Attach(this);
    }

    /// <summary>True while L2 (Redis) is reachable.</summary>
    public bool IsDistributedCacheAvailable => _redis.IsConnected;

    /// <summary>Completes once this instance listens for the other instances' invalidations (or could not yet, with Redis down).</summary>
    public Task Initialization => _bus.Subscribed;

    public CacheStatistics GetStatistics()
    {
        var memory = (_memory as MemoryCache)?.GetCurrentStatistics();
        return new CacheStatistics(
            _metrics.LookupHits,
            _metrics.LookupMisses,
            _metrics.GetLocal(),
            _metrics.GetDistributed(),
            _metrics.FactoryCalls,
            memory?.CurrentEntryCount ?? 0,
            memory?.CurrentEstimatedSize ?? 0,
            _redis.IsConnected);
    }

    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var lookup = new Lookup<TState, T>(state, factory, _metrics);
        var pending = _inner.GetOrCreateAsync(key, lookup, static (lookup, token) => lookup.InvokeAsync(token), options, tags, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            var value = pending.Result;
            Count(lookup, options, value, completedSynchronously: true);
            return new(value);
        }
        return AwaitedAsync(pending, lookup, options);

        async ValueTask<T> AwaitedAsync(ValueTask<T> pending, Lookup<TState, T> lookup, HybridCacheEntryOptions? options)
        {
            var value = await pending.ConfigureAwait(false);
            Count(lookup, options, value, completedSynchronously: false);
            return value;
        }
    }

    public override async ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        await _inner.SetAsync(key, value, options, tags, cancellationToken).ConfigureAwait(false);
        if (((options?.Flags ?? HybridCacheEntryFlags.None) & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0)
        {
            _metrics.Set(CacheLevel.Local);
        }
        // Other instances may hold the previous value in memory.
        await _bus.PublishKeyRemovedAsync(key).ConfigureAwait(false);
    }

    public override async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        await _inner.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        _metrics.Eviction(CacheLevel.Local);
        await _bus.PublishKeyRemovedAsync(key).ConfigureAwait(false);
    }

    public override async ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        await _inner.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        await _bus.PublishTagInvalidatedAsync(tag).ConfigureAwait(false);
    }

    /// <summary>Another instance removed <paramref name="key"/>: drop this instance's copy, leave Redis alone.</summary>
    internal async ValueTask RemoveLocalAsync(string key)
    {
        using (LocalInvalidation.Begin())
        {
            await _inner.RemoveAsync(key).ConfigureAwait(false);
        }
        _metrics.Eviction(CacheLevel.Local);
    }

    /// <summary>Another instance invalidated <paramref name="tag"/> ("*": everything): apply it here, leave Redis alone.</summary>
    internal async ValueTask RemoveByTagLocalAsync(string tag)
    {
        using (LocalInvalidation.Begin())
        {
            await _inner.RemoveByTagAsync(tag).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a reconnect: invalidations published meanwhile never arrived, so forget everything held in
    /// memory. HybridCache also remembers tag invalidation times it read once from Redis; "*" applied
    /// locally makes it distrust every entry written before now, in memory and in Redis, until rewritten.
    /// </summary>
    internal async ValueTask ForgetLocalStateAsync()
    {
        (_memory as MemoryCache)?.Clear();
        await RemoveByTagLocalAsync("*").ConfigureAwait(false);
    }

    // Per lookup, for the hit/miss counters (HybridCache reports no per-level results of its own):
    // - L1 hit: HybridCache answered from memory. It does so synchronously, before any L2 read or factory
    //   call, while every other path awaits Redis or the factory; so "completed synchronously, no factory
    //   call by this caller, and a value (a read-only lookup may find nothing)" is an L1 hit.
    // - L2 hits and misses are counted where Redis is read (MeteredDistributedCache), once per read.
    // - Overall: a miss when this caller's factory ran (or a read-only lookup found nothing); otherwise a hit,
    //   whether from L1, L2 or an identical lookup already in flight that this caller joined.
    private void Count<TState, T>(Lookup<TState, T> lookup, HybridCacheEntryOptions? options, T value, bool completedSynchronously)
    {
        var flags = options?.Flags ?? HybridCacheEntryFlags.None;
        var found = !lookup.Invoked && ((flags & HybridCacheEntryFlags.DisableUnderlyingData) == 0 || !EqualityComparer<T>.Default.Equals(value, default!));
        if ((flags & HybridCacheEntryFlags.DisableLocalCacheRead) == 0)
        {
            if (found && completedSynchronously)
            {
                _metrics.Hit(CacheLevel.Local);
            }
            else
            {
                _metrics.Miss(CacheLevel.Local);
            }
        }
        if (found)
        {
            _metrics.LookupHit();
        }
        else
        {
            _metrics.LookupMiss();
        }
        if (lookup.Invoked && (flags & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0)
        {
            _metrics.Set(CacheLevel.Local);
        }
    }

    /// <summary>
    /// The factory's state: the caller's own, whether HybridCache ran this caller's factory, and the caller's
    /// ExecutionContext. HybridCache starts a cancellable lookup's factory on the thread pool without flowing
    /// the ExecutionContext, so the factory would otherwise lose everything AsyncLocal: the request context,
    /// the HttpContext, the trace parent.
    /// </summary>
    private sealed class Lookup<TState, T>(TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheMetrics metrics)
    {
        private readonly ExecutionContext? _caller = ExecutionContext.Capture();
        private CancellationToken _token;
        private ValueTask<T> _started;

        public bool Invoked { get; private set; }

        public ValueTask<T> InvokeAsync(CancellationToken cancellationToken)
        {
            Invoked = true;
            metrics.FactoryCall();
            if (_caller is null || ReferenceEquals(_caller, ExecutionContext.Capture()))
            {
                return factory(state, cancellationToken);
            }
            // An async factory started inside Run keeps the caller's context across its awaits.
            _token = cancellationToken;
            ExecutionContext.Run(_caller, static lookup => ((Lookup<TState, T>)lookup!).Start(), this);
            return _started;
        }

        private void Start() => _started = factory(state, _token);
    }
}
