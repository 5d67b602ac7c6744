using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task PostgresRestartedWhileTheWorkerWritesLosesAndDuplicatesNothing()
    {
        await using var postgres = await PostgresServer.LaunchAsync();
        var database = await UsageDatabase.CreateMigratedAsync(() => postgres.CreateDatabaseAsync());
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var stream = UsageStreams.UniqueName("pg-restart");
        await using var redis = await UsageStreams.ConnectAsync(redisConnectionString);
        await using var worker = new WorkerFactory(redisConnectionString, database, stream,
            new Dictionary<string, string?> { ["Usage:BatchSize"] = "500" }).Start();
        var before = SampleRecords.Many(20_000);
        var after = SampleRecords.Many(5_000);

        await UsageStreams.AddAsync(redis, stream, before);
        var seen = await UsageDatabase.WaitForCountAsync(database, 1, TimeSpan.FromSeconds(60));
        await postgres.RestartAsync(TimeSpan.FromSeconds(1));
        await UsageStreams.AddAsync(redis, stream, after);
        var count = await UsageDatabase.WaitForCountAsync(database, before.Count + after.Count, TimeSpan.FromSeconds(90));

        Assert.InRange(seen, 1, before.Count - 1); // the crash came while the backlog was being written
        Assert.Equal(before.Count + after.Count, count);
        await UsageDatabase.AssertExactlyOnceAsync(database, before.Concat(after).Select(r => r.Id));
    }
}
