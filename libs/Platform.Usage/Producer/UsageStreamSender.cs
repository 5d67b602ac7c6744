using Platform.Redis;

namespace Platform.Usage.Producer;

/// <summary>Adds records to the usage stream as one pipelined batch of XADDs (one write, one round trip).</summary>
public sealed class UsageStreamSender(RedisConnection redis, string streamName)
{
    public async Task SendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        var batch = redis.CreateBatch();
        var adds = new Task<string>[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            KeyValuePair<string, ReadOnlyMemory<byte>>[] fields = [new(UsageStreamFormat.RecordField, UsageRecordSerializer.Serialize(records[i]))];
            adds[i] = batch.XAddAsync(streamName, fields);
        }
        var all = Task.WhenAll(adds);
        try
        {
            await batch.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ = all.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed: the batch already failed
            throw;
        }
        await all.ConfigureAwait(false);
    }
}
