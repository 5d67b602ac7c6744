using Platform.Usage.Journal;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

/// <summary>The producer with several batches in flight at once.</summary>
public sealed class ProducerConcurrencyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BatchesSentConcurrentlyPutEveryRecordOnTheStreamOnceAndInTheOrderProduced()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var stream = UsageStreams.UniqueName("concurrent-sends");
        await using var api = await ProducerHarness.StartAsync(redisConnectionString, stream, o =>
        {
            o.BatchSize = 100;
            o.MaxBatchesInFlight = 8;
        });
        // Batches produced before the first connect are journaled and replayed later, out of order by design.
        await WaitAsync(() => Task.FromResult(api.Redis.IsConnected));

        api.Produce(20_000);
        await WaitAsync(async () => await api.Redis.GetDatabase().StreamLengthAsync(stream) >= 20_000);

        Assert.Equal(api.Produced, (await UsageStreams.ReadAsync(api.Redis, stream)).Select(r => r.Id));
        Assert.Equal(0, api.JournalSegmentCount);
    }

    [Fact]
    public async Task BatchesFailingConcurrentlyAreJournaledInTheOrderProducedAndReplayedOnce()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var stream = UsageStreams.UniqueName("concurrent-failures");
        await using var api = await ProducerHarness.StartAsync(redisConnectionString, stream, o =>
        {
            o.BatchSize = 100;
            o.MaxBatchesInFlight = 8;
        });
        // Redis is up but refuses every XADD (WRONGTYPE): each batch in flight fails on its own.
        await api.Redis.GetDatabase().StringSetAsync(stream, "not a stream");

        api.Produce(5_000);
        await WaitAsync(() => Task.FromResult(ReadJournal(api.JournalDirectory).Count >= 5_000));

        Assert.Equal(api.Produced, ReadJournal(api.JournalDirectory));
        await api.Redis.GetDatabase().KeyDeleteAsync(stream); // the next replay probe succeeds
        await WaitAsync(async () => await api.Redis.GetDatabase().StreamLengthAsync(stream) >= 5_000 && api.JournalSegmentCount == 0);
        Assert.Equal(api.Produced, (await UsageStreams.ReadAsync(api.Redis, stream)).Select(r => r.Id));
    }

    private static List<Guid> ReadJournal(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.journal").Order(StringComparer.Ordinal).SelectMany(path => UsageJournal.Read(path).Records).Select(r => r.Id).ToList()
            : [];

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
