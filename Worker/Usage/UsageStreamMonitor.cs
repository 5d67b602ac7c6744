using Microsoft.Extensions.Options;
using Platform.Redis;
using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>
/// Publishes the stream's backlog as gauges: entries pending in the group (read, not yet
/// acknowledged) and the stream length (acknowledged entries are deleted, so this is the lag).
/// Refreshed from the consumer loop because observable gauges are read synchronously.
/// </summary>
public sealed class UsageStreamMonitor
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private readonly RedisConnection _redis;
    private readonly UsageWriterOptions _options;
    private DateTime _nextRefresh;
    private long _pending;
    private long _length;

    public UsageStreamMonitor(RedisConnection redis, UsageMetrics metrics, IOptions<UsageWriterOptions> options)
    {
        _redis = redis;
        _options = options.Value;
        metrics.ObserveGauge("platform.usage.stream.pending", "{entry}", "Entries delivered to a consumer and not acknowledged yet.", () => Volatile.Read(ref _pending));
        metrics.ObserveGauge("platform.usage.stream.length", "{entry}", "Entries in the usage stream (acknowledged ones are deleted).", () => Volatile.Read(ref _length));
    }

    public async Task RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow < _nextRefresh)
        {
            return;
        }
        _nextRefresh = DateTime.UtcNow + RefreshInterval;
        var summary = await _redis.XPendingAsync(_options.StreamName, _options.ConsumerGroup, cancellationToken);
        Volatile.Write(ref _pending, summary.Count);
        Volatile.Write(ref _length, await _redis.XLenAsync(_options.StreamName, cancellationToken));
    }
}
