using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

public sealed class RedisRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <remarks>
    /// The test's redis-server runs without persistence, so entries Redis accepted but the Worker had
    /// not read yet would die with it; the phases let the Worker catch up before the kill. What is
    /// under test is the producer: records produced while Redis is down are journaled and replayed.
    /// </remarks>
    [Fact]
    public async Task RecordsProducedWhileRedisIsDownAreJournaledThenReplayed()
    {
        await using var redisServer = await RedisServer.LaunchAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("redis-restart");
        await using var worker = new WorkerFactory(redisServer.ConnectionString, database, stream).Start();
        await using var api = await ProducerHarness.StartAsync(redisServer.ConnectionString, stream);

        api.Produce(2_000);
        Assert.Equal(2_000, await UsageDatabase.WaitForCountAsync(database, 2_000, Patience));

        await redisServer.KillAsync();
        api.Produce(2_000);
        await WaitAsync(() => api.Producer.QueueDepth == 0 && api.JournalSegmentCount > 0);
        var journaledWhileDown = api.JournalSegmentCount;

        await redisServer.StartAsync();
        api.Produce(2_000);
        var count = await UsageDatabase.WaitForCountAsync(database, 6_000, Patience);
        await api.WaitUntilJournalIsEmptyAsync(Patience);

        Assert.True(journaledWhileDown > 0);
        Assert.Equal(6_000, count);
        Assert.Equal(0, api.JournalSegmentCount);
        await UsageDatabase.AssertExactlyOnceAsync(database, api.Produced);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
