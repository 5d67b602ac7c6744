using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Platform.Usage.Producer;

/// <summary>
/// Adds records to the usage stream as one batch of pipelined XADDs: the batch's commands leave in
/// one write, back to back, and are answered in one round trip. Safe to call concurrently: each call
/// serialises into a buffer of its own, taken from a small pool.
/// </summary>
public sealed class UsageStreamSender(IConnectionMultiplexer redis, string streamName)
{
    private static readonly RedisValue RecordField = UsageStreamFormat.RecordField;

    private readonly RedisKey _stream = streamName;
    private readonly ConcurrentBag<SerializedRecords> _buffers = [];

    public async Task SendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }
        var serialized = _buffers.TryTake(out var pooled) ? pooled : new SerializedRecords();
        serialized.Serialize(records);
        var values = serialized.Values;
        var batch = redis.GetDatabase().CreateBatch();
        var adds = new Task[values.Count];
        for (var i = 0; i < adds.Length; i++)
        {
            // RedisValue wraps the slice without copying it; the connection copies it to the socket.
            adds[i] = batch.StreamAddAsync(_stream, RecordField, values[i]);
        }
        // Everything queued above is written now, in order, before a later batch's commands.
        batch.Execute();
        await Task.WhenAll(adds).WaitAsync(cancellationToken).ConfigureAwait(false);
        // Only after every reply: a failed or cancelled send may still be on its way to the socket, so its buffer is dropped.
        _buffers.Add(serialized);
    }
}
