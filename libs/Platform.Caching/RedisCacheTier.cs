using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Platform.Redis;

namespace Platform.Caching;

/// <summary>
/// The L2 level on Redis. Every failure is absorbed here (counted and logged, never thrown): with
/// Redis down the cache keeps working from L1 alone.
/// </summary>
internal sealed class RedisCacheTier(RedisConnection? redis, PlatformHybridCacheOptions options, CacheMetrics metrics, ILogger logger)
{
    private readonly string _entryPrefix = options.KeyPrefix + "e:";
    private readonly string _tagPrefix = options.KeyPrefix + "t:";

    public bool IsConfigured => redis is not null;

    public bool IsAvailable => redis is { IsConnected: true };

    public async Task<CacheEnvelope?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!IsAvailable)
        {
            return null;
        }
        try
        {
            var data = await redis!.GetAsync(_entryPrefix + key, cancellationToken);
            return data is null ? null : CacheEnvelope.TryRead(data);
        }
        catch (Exception exception) when (IsRedisFailure(exception, cancellationToken))
        {
            Failed(exception, "read");
            return null;
        }
    }

    public async Task SetAsync(string key, CacheEnvelope envelope, TimeSpan expiration, CancellationToken cancellationToken)
    {
        if (!IsAvailable)
        {
            return;
        }
        try
        {
            await redis!.SetAsync(_entryPrefix + key, envelope.ToBytes(), expiration, onlyIfNotExists: false, cancellationToken);
            metrics.Set(CacheLevel.Distributed);
        }
        catch (Exception exception) when (IsRedisFailure(exception, cancellationToken))
        {
            Failed(exception, "write");
        }
    }

    public async Task RemoveAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (!IsAvailable || keys.Count == 0)
        {
            return;
        }
        try
        {
            await redis!.DeleteAsync(keys.Select(k => _entryPrefix + k).ToArray(), cancellationToken);
        }
        catch (Exception exception) when (IsRedisFailure(exception, cancellationToken))
        {
            Failed(exception, "delete");
        }
    }

    /// <summary>The invalidation times Redis holds for the tags (0 when never invalidated); null when Redis could not answer.</summary>
    public async Task<long[]?> GetTagInvalidationsAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        try
        {
            var values = await redis!.MGetAsync(tags.Select(t => _tagPrefix + t).ToArray(), cancellationToken);
            var ticks = new long[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                ticks[i] = values[i] is { } bytes && long.TryParse(Encoding.ASCII.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            }
            return ticks;
        }
        catch (Exception exception) when (IsRedisFailure(exception, cancellationToken))
        {
            Failed(exception, "tag read");
            return null;
        }
    }

    public async Task SetTagInvalidationAsync(string tag, long ticks, CancellationToken cancellationToken)
    {
        if (!IsAvailable)
        {
            return;
        }
        try
        {
            var value = Encoding.ASCII.GetBytes(ticks.ToString(CultureInfo.InvariantCulture));
            await redis!.SetAsync(_tagPrefix + tag, value, options.TagInvalidationRetention, onlyIfNotExists: false, cancellationToken);
        }
        catch (Exception exception) when (IsRedisFailure(exception, cancellationToken))
        {
            Failed(exception, "tag write");
        }
    }

    private void Failed(Exception exception, string operation)
    {
        metrics.Error(CacheLevel.Distributed);
        logger.LogWarning(exception, "Distributed cache {Operation} failed; continuing with the local cache only.", operation);
    }

    private static bool IsRedisFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is RedisException or ObjectDisposedException or IOException
        || exception is OperationCanceledException && !cancellationToken.IsCancellationRequested;
}
