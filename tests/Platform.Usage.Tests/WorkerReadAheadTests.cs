using Npgsql;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

/// <summary>The Worker reads its next batch while the current one is written, and still acknowledges only after commits.</summary>
public sealed class WorkerReadAheadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BatchReadAheadWhileTheDatabaseIsBlockedStaysUnacknowledgedUntilItsOwnCommit()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("read-ahead");
        await using var redis = await UsageStreams.ConnectAsync(redisConnectionString);
        var records = SampleRecords.Many(300);
        await UsageStreams.AddAsync(redis, stream, records);

        // Inserts wait for this lock; reads (the counts below) do not.
        await using var blocker = new NpgsqlConnection(database);
        await blocker.OpenAsync();
        await using var lockTransaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE usage_records IN EXCLUSIVE MODE", blocker, lockTransaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await using var worker = new WorkerFactory(redisConnectionString, database, stream, new Dictionary<string, string?>
        {
            ["Usage:BatchSize"] = "100",
            ["Usage:ConsumersPerProcess"] = "1",
        }).Start();
        await WaitAsync(async () => await UsageStreams.PendingAsync(redis, stream) >= 200);
        await Task.Delay(500); // a Worker that acknowledged early would have done so by now

        // The first batch waits on the lock, the second was read ahead: both pending, nothing stored, nothing deleted.
        Assert.Equal(200, await UsageStreams.PendingAsync(redis, stream));
        Assert.Equal(0, await UsageDatabase.CountAsync(database));
        Assert.Equal(records.Count, await redis.GetDatabase().StreamLengthAsync(stream));

        await lockTransaction.RollbackAsync();
        Assert.Equal(records.Count, await UsageDatabase.WaitForCountAsync(database, records.Count, Patience));
        await UsageDatabase.AssertExactlyOnceAsync(database, records.Select(r => r.Id));
        await WaitAsync(async () => await UsageStreams.PendingAsync(redis, stream) == 0);
        Assert.Equal(0, await UsageStreams.PendingAsync(redis, stream));
        Assert.Equal(0, await redis.GetDatabase().StreamLengthAsync(stream));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
