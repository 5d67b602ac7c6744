using Platform.Usage.Producer;
using StackExchange.Redis;

namespace Platform.Usage.Tests.Infrastructure;

public static class UsageStreams
{
    /// <summary>A stream name of its own, so tests sharing one Redis never read each other's entries.</summary>
    public static string UniqueName(string scope) => SharedServers.UniquePrefix(scope) + "usage";

    /// <summary>A connection of the test's own (abortConnect=false: it may start before the server).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString) =>
        await ConnectionMultiplexer.ConnectAsync(connectionString);

    public static async Task AddAsync(IConnectionMultiplexer redis, string stream, IReadOnlyList<UsageRecord> records)
    {
        var sender = new UsageStreamSender(redis, stream);
        foreach (var chunk in records.Chunk(1_000))
        {
            await sender.SendAsync(chunk, CancellationToken.None);
        }
    }

    /// <summary>Every record on the stream, in stream order (XRANGE).</summary>
    public static async Task<List<UsageRecord>> ReadAsync(IConnectionMultiplexer redis, string stream)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(stream);
        return entries.Select(e => UsageRecordSerializer.Deserialize(((ReadOnlyMemory<byte>)e[UsageStreamFormat.RecordField]).Span)).ToList();
    }

    /// <summary>Entries read by a consumer and not acknowledged yet; 0 before the group exists.</summary>
    public static async Task<long> PendingAsync(IConnectionMultiplexer redis, string stream)
    {
        try
        {
            return (await redis.GetDatabase().StreamPendingAsync(stream, UsageStreamFormat.DefaultConsumerGroup)).PendingMessageCount;
        }
        catch (RedisServerException error) when (error.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            return 0;
        }
    }
}
