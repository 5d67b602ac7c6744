using Platform.Usage.Tests.Infrastructure;
using StackExchange.Redis;

namespace Platform.Usage.Tests;

public sealed class WorkerCrashTests
{
    [Fact]
    public async Task WorkerKilledMidBatchThenRestartedStoresEveryRecordExactlyOnce()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("worker-kill");
        await using var redis = await UsageStreams.ConnectAsync(redisConnectionString);
        var records = SampleRecords.Many(60_000);
        await UsageStreams.AddAsync(redis, stream, records);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = redisConnectionString,
            ["ConnectionStrings__platformdb"] = database,
            ["Usage__StreamName"] = stream,
            ["Usage__BatchSize"] = "1000",
            ["Usage__ClaimMinIdle"] = "00:00:02",
            ["Usage__ClaimInterval"] = "00:00:01",
        };

        await using (var doomed = ServiceProcess.Start("Platform.Worker", environment))
        {
            var seen = await UsageDatabase.WaitForCountAsync(database, 5_000, TimeSpan.FromSeconds(90));
            Assert.True(seen >= 5_000, $"The Worker wrote {seen} rows before the kill. Output:\n{doomed.Output}");
            doomed.KillHard();
        }
        var atKill = await UsageDatabase.CountAsync(database);
        Assert.InRange(atKill, 5_000, records.Count - 1);

        await using var restarted = ServiceProcess.Start("Platform.Worker", environment);
        var count = await UsageDatabase.WaitForCountAsync(database, records.Count, TimeSpan.FromSeconds(120));

        Assert.True(count == records.Count, $"{count} of {records.Count} rows. Output:\n{restarted.Output}");
        await UsageDatabase.AssertExactlyOnceAsync(database, records.Select(r => r.Id));
        await WaitForNoPendingAsync(redis, stream);
    }

    private static async Task WaitForNoPendingAsync(IConnectionMultiplexer redis, string stream)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long pending;
        while ((pending = await UsageStreams.PendingAsync(redis, stream)) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(0, pending);
    }
}
