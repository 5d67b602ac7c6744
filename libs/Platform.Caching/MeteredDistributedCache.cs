using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Platform.Caching;

/// <summary>
/// HybridCache's L2: the Redis <see cref="IDistributedCache"/> (Microsoft.Extensions.Caching.StackExchangeRedis)
/// wrapped to count L2 hits, misses, writes and errors (HybridCache reports no per-level numbers of its
/// own), to answer "miss" at once while Redis is unreachable, and to leave Redis alone while
/// <see cref="LocalInvalidation"/> applies another instance's invalidation to this instance's memory.
/// Write and remove failures are logged and counted, never thrown: the cache then runs on memory alone.
/// </summary>
internal sealed partial class MeteredDistributedCache(
    IDistributedCache inner,
    IConnectionMultiplexer redis,
    CacheMetrics metrics,
    ILogger<MeteredDistributedCache> logger) : IBufferDistributedCache
{
    // HybridCache keeps tag invalidation times under keys with this prefix; reading one is not an entry lookup.
    private const string TagKeyPrefix = "__MSFT_HCT__";

    private readonly IBufferDistributedCache? _buffers = inner as IBufferDistributedCache;

    public bool IsAvailable => redis.IsConnected;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (!redis.IsConnected)
        {
            return null;
        }
        try
        {
            var value = await inner.GetAsync(key, token).ConfigureAwait(false);
            CountRead(key, value is not null);
            return value;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            metrics.Error(CacheLevel.Distributed);
            throw; // HybridCache logs it and treats the lookup as a miss
        }
    }

    public bool TryGet(string key, IBufferWriter<byte> destination) => TryGetAsync(key, destination).AsTask().GetAwaiter().GetResult();

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        if (_buffers is null)
        {
            var value = await GetAsync(key, token).ConfigureAwait(false);
            if (value is not null)
            {
                destination.Write(value);
            }
            return value is not null;
        }
        if (!redis.IsConnected)
        {
            return false;
        }
        try
        {
            var found = await _buffers.TryGetAsync(key, destination, token).ConfigureAwait(false);
            CountRead(key, found);
            return found;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            metrics.Error(CacheLevel.Distributed);
            throw;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        WriteAsync(key, value.Length, () => inner.SetAsync(key, value, options, token));

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).AsTask().GetAwaiter().GetResult();

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        new(WriteAsync(key, value.Length, () => _buffers is not null
            ? _buffers.SetAsync(key, value, options, token).AsTask()
            : inner.SetAsync(key, value.ToArray(), options, token)));

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        if (LocalInvalidation.IsApplying)
        {
            return Task.CompletedTask; // the instance that removed it has already removed it from Redis
        }
        return GuardAsync(key, "remove", async () =>
        {
            await inner.RemoveAsync(key, token).ConfigureAwait(false);
            metrics.Eviction(CacheLevel.Distributed);
        });
    }

    private Task WriteAsync(string key, long length, Func<Task> write)
    {
        if (LocalInvalidation.IsApplying)
        {
            return Task.CompletedTask; // a tag invalidation's time, already written by the instance that made it
        }
        return GuardAsync(key, "write", async () =>
        {
            await write().ConfigureAwait(false);
            if (!key.StartsWith(TagKeyPrefix, StringComparison.Ordinal))
            {
                metrics.Set(CacheLevel.Distributed);
                metrics.Payload(length);
            }
        });
    }

    private async Task GuardAsync(string key, string operation, Func<Task> action)
    {
        if (!redis.IsConnected)
        {
            metrics.Error(CacheLevel.Distributed);
            LogUnavailable(logger, operation, key);
            return;
        }
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            metrics.Error(CacheLevel.Distributed);
            LogFailed(logger, operation, key, ex);
        }
    }

    private void CountRead(string key, bool found)
    {
        if (key.StartsWith(TagKeyPrefix, StringComparison.Ordinal))
        {
            return;
        }
        if (found)
        {
            metrics.Hit(CacheLevel.Distributed);
        }
        else
        {
            metrics.Miss(CacheLevel.Distributed);
        }
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    [LoggerMessage(LogLevel.Debug, "Redis is unreachable: cache {Operation} of {Key} skipped; memory only until it is back.")]
    private static partial void LogUnavailable(ILogger logger, string operation, string key);

    [LoggerMessage(LogLevel.Warning, "Cache {Operation} of {Key} in Redis failed; memory only for this entry.")]
    private static partial void LogFailed(ILogger logger, string operation, string key, Exception exception);
}
