using Platform.Redis;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

public sealed class WorkerSharingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoWorkersShareTheStreamAndStoreEveryRecordExactlyOnce()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("two-workers");
        var settings = new Dictionary<string, string?> { ["Usage:BatchSize"] = "250" };
        await using var first = new WorkerFactory(redisConnectionString, database, stream, settings).Start();
        await using var second = new WorkerFactory(redisConnectionString, database, stream, settings).Start();
        await using var redis = await RedisConnection.ConnectAsync(redisConnectionString);
        var records = SampleRecords.Many(20_000);

        await UsageStreams.AddAsync(redis, stream, records);
        await UsageDatabase.WaitForCountAsync(database, records.Count, Patience);

        await UsageDatabase.AssertExactlyOnceAsync(database, records.Select(r => r.Id));
        Assert.NotEqual(first.Consumer.ConsumerName, second.Consumer.ConsumerName);
        var consumers = await redis.ExecuteAsync("XINFO", ["CONSUMERS", stream, UsageStreamFormat.DefaultConsumerGroup]);
        var names = consumers.Elements.Select(c => c.Elements[1].AsString()!).ToArray();
        Assert.Contains(names, n => n.StartsWith(first.Consumer.ConsumerName, StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith(second.Consumer.ConsumerName, StringComparison.Ordinal));
        Assert.Equal(0, (await redis.XPendingAsync(stream, UsageStreamFormat.DefaultConsumerGroup)).Count);
    }

    [Fact]
    public async Task PoisonEntriesLandInTheDeadLetterStreamWithAReasonAndTheRestIsStored()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("poison");
        await using var redis = await RedisConnection.ConnectAsync(redisConnectionString);
        var good = SampleRecords.Many(100);
        await UsageStreams.AddAsync(redis, stream, good[..50]);
        await redis.XAddAsync(stream, [new(UsageStreamFormat.RecordField, "{not json"u8.ToArray())]);
        await redis.XAddAsync(stream, [new("something-else", "x"u8.ToArray())]);
        await UsageStreams.AddAsync(redis, stream, good[50..]);

        await using var worker = new WorkerFactory(redisConnectionString, database, stream).Start();
        await UsageDatabase.WaitForCountAsync(database, good.Count, Patience);
        var deadLetters = await WaitForEntriesAsync(redis, stream + ":dead", 2);

        await UsageDatabase.AssertExactlyOnceAsync(database, good.Select(r => r.Id));
        var reasons = deadLetters.Select(e => e.GetString(UsageStreamFormat.ReasonField)).Order().ToArray();
        Assert.StartsWith("no 'record' field", reasons[0]);
        Assert.StartsWith("unparseable:", reasons[1]);
        Assert.All(deadLetters, e => Assert.NotNull(e.GetString(UsageStreamFormat.SourceIdField)));
        Assert.Equal(0, (await redis.XPendingAsync(stream, UsageStreamFormat.DefaultConsumerGroup)).Count);
    }

    private static async Task<IReadOnlyList<StreamEntry>> WaitForEntriesAsync(RedisConnection redis, string stream, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await redis.XLenAsync(stream) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        // A consumer group of our own reads the dead letters without touching the stream.
        await redis.XGroupCreateAsync(stream, "test-reader");
        return await redis.XReadGroupAsync(stream, "test-reader", "test", 100);
    }
}
