using Microsoft.Extensions.Options;
using Platform.Usage;
using StackExchange.Redis;

namespace Platform.Worker.Usage;

/// <summary>
/// Publishes the stream's backlog as gauges: entries pending in the group (read, not yet
/// acknowledged) and the stream length (acknowledged entries are deleted, so this is the lag).
/// Refreshed from the consumer loop because observable gauges are read synchronously.
/// </summary>
public sealed class UsageStreamMonitor
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private readonly IConnectionMultiplexer _redis;
    private readonly UsageWriterOptions _options;
    private DateTime _nextRefresh;
    private long _pending;
    private long _length;

    public UsageStreamMonitor(IConnectionMultiplexer redis, UsageMetrics metrics, IOptions<UsageWriterOptions> options)
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
        var database = _redis.GetDatabase();
        var pending = database.StreamPendingAsync(_options.StreamName, _options.ConsumerGroup);
        var length = database.StreamLengthAsync(_options.StreamName);
        var summary = await pending.WaitAsync(cancellationToken);
        Volatile.Write(ref _pending, summary.PendingMessageCount);
        Volatile.Write(ref _length, await length.WaitAsync(cancellationToken));
    }
}
