using System.Collections.Concurrent;
using Platform.Redis;

namespace Platform.Usage.Producer;

/// <summary>
/// Adds records to the usage stream as one pipelined run of XADDs (one write, one round trip, one task).
/// Safe to call concurrently: each call serialises into a buffer of its own, taken from a small pool.
/// </summary>
public sealed class UsageStreamSender(RedisConnection redis, string streamName)
{
    private readonly ConcurrentBag<SerializedRecords> _buffers = [];

    public async Task SendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }
        var serialized = _buffers.TryTake(out var pooled) ? pooled : new SerializedRecords();
        serialized.Serialize(records);
        await redis.XAddManyAsync(streamName, UsageStreamFormat.RecordField, serialized.Values, cancellationToken).ConfigureAwait(false);
        // Only after every reply: a failed or cancelled send may still be on its way to the socket, so its buffer is dropped.
        _buffers.Add(serialized);
    }
}
