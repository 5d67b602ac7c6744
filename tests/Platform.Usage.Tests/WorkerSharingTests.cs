using Platform.Usage.Tests.Infrastructure;
using StackExchange.Redis;

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
        await using var redis = await UsageStreams.ConnectAsync(redisConnectionString);
        var records = SampleRecords.Many(20_000);

        await UsageStreams.AddAsync(redis, stream, records);
        await UsageDatabase.WaitForCountAsync(database, records.Count, Patience);

        await UsageDatabase.AssertExactlyOnceAsync(database, records.Select(r => r.Id));
        Assert.NotEqual(first.Consumer.ConsumerName, second.Consumer.ConsumerName);
        var consumers = await redis.GetDatabase().StreamConsumerInfoAsync(stream, UsageStreamFormat.DefaultConsumerGroup);
        var names = consumers.Select(c => c.Name).ToArray();
        Assert.Contains(names, n => n.StartsWith(first.Consumer.ConsumerName, StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith(second.Consumer.ConsumerName, StringComparison.Ordinal));
        Assert.Equal(0, await UsageStreams.PendingAsync(redis, stream));
    }

    [Fact]
    public async Task PoisonEntriesLandInTheDeadLetterStreamWithAReasonAndTheRestIsStored()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("poison");
        await using var redis = await UsageStreams.ConnectAsync(redisConnectionString);
        var good = SampleRecords.Many(100);
        await UsageStreams.AddAsync(redis, stream, good[..50]);
        await redis.GetDatabase().StreamAddAsync(stream, UsageStreamFormat.RecordField, "{not json");
        await redis.GetDatabase().StreamAddAsync(stream, "something-else", "x");
        await UsageStreams.AddAsync(redis, stream, good[50..]);

        await using var worker = new WorkerFactory(redisConnectionString, database, stream).Start();
        await UsageDatabase.WaitForCountAsync(database, good.Count, Patience);
        var deadLetters = await WaitForEntriesAsync(redis, stream + ":dead", 2);

        await UsageDatabase.AssertExactlyOnceAsync(database, good.Select(r => r.Id));
        var reasons = deadLetters.Select(e => (string)e[UsageStreamFormat.ReasonField]!).Order().ToArray();
        Assert.StartsWith("no 'record' field", reasons[0]);
        Assert.StartsWith("unparseable:", reasons[1]);
        Assert.All(deadLetters, e => Assert.False(e[UsageStreamFormat.SourceIdField].IsNullOrEmpty));
        Assert.Equal(0, await UsageStreams.PendingAsync(redis, stream));
    }

    private static async Task<StreamEntry[]> WaitForEntriesAsync(IConnectionMultiplexer redis, string stream, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await redis.GetDatabase().StreamLengthAsync(stream) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        // A consumer group of our own reads the dead letters without touching the stream.
        await redis.GetDatabase().StreamCreateConsumerGroupAsync(stream, "test-reader", "0");
        return await redis.GetDatabase().StreamReadGroupAsync(stream, "test-reader", "test", StreamPosition.NewMessages, 100);
    }
}
