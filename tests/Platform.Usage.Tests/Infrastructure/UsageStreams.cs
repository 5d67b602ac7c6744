using Platform.Redis;
using Platform.Usage.Producer;

namespace Platform.Usage.Tests.Infrastructure;

public static class UsageStreams
{
    /// <summary>A stream name of its own, so tests sharing one Redis never read each other's entries.</summary>
    public static string UniqueName(string scope) => SharedServers.UniquePrefix(scope) + "usage";

    public static async Task AddAsync(RedisConnection redis, string stream, IReadOnlyList<UsageRecord> records)
    {
        var sender = new UsageStreamSender(redis, stream);
        foreach (var chunk in records.Chunk(1_000))
        {
            await sender.SendAsync(chunk, CancellationToken.None);
        }
    }
}
