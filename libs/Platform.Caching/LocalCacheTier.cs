using System.Buffers;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Platform.Caching.Serialization;

namespace Platform.Caching;

/// <summary>
/// The L1 level: a size-limited <see cref="MemoryCache"/> (size = payload bytes). Entries whose tags
/// were invalidated after they were created are dropped on read.
/// </summary>
internal sealed class LocalCacheTier(long sizeLimitBytes, TagInvalidations tags, HybridCacheSerializerRegistry serializers, CacheMetrics metrics, ILogger logger) : IDisposable
{
    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = sizeLimitBytes, TrackStatistics = true });

    public long Count => _memory.Count;

    public long Bytes => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public bool TryGet<T>(string key, out T value)
    {
        if (_memory.TryGetValue(key, out var found) && found is LocalCacheEntry entry)
        {
            if (!tags.IsCurrent(entry.CreatedTicks, entry.Tags))
            {
                _memory.Remove(key);
            }
            else if (entry.SharedValue is T shared)
            {
                metrics.Hit(CacheLevel.Local);
                value = shared;
                return true;
            }
            else
            {
                try
                {
                    value = serializers.Get<T>().Deserialize(new ReadOnlySequence<byte>(entry.Payload));
                    metrics.Hit(CacheLevel.Local);
                    return true;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    metrics.Error(CacheLevel.Local);
                    logger.LogWarning(exception, "Cached value for {Key} could not be read as {Type}; treating it as a miss.", key, typeof(T).Name);
                }
            }
        }
        metrics.Miss(CacheLevel.Local);
        value = default!;
        return false;
    }

    public void Set(string key, LocalCacheEntry entry, TimeSpan expiration)
    {
        if (expiration <= TimeSpan.Zero)
        {
            return;
        }
        var entryOptions = new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, entry.Payload.Length),
            AbsoluteExpirationRelativeToNow = expiration,
        };
        entryOptions.RegisterPostEvictionCallback(static (_, _, reason, state) =>
        {
            if (reason is not EvictionReason.Replaced)
            {
                ((CacheMetrics)state!).Eviction(CacheLevel.Local);
            }
        }, metrics);
        _memory.Set(key, entry, entryOptions);
        metrics.Set(CacheLevel.Local);
    }

    public void Remove(string key) => _memory.Remove(key);

    public void Clear() => _memory.Clear();

    public void Dispose() => _memory.Dispose();
}
