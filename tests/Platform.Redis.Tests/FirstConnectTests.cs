using Platform.Testing;

namespace Platform.Redis.Tests;

public class FirstConnectTests
{
    [Fact]
    public async Task BatchExecutedRightAfterCreateWaitsForTheFirstConnectionInsteadOfFailing()
    {
        var options = RedisConnectionOptions.Parse(await SharedServers.GetRedisConnectionStringAsync());
        var key = SharedServers.UniquePrefix("redis") + "first-batch";

        await using var redis = RedisConnection.Create(options);
        var batch = redis.CreateBatch();
        var set = batch.SetAsync(key, "value"u8.ToArray());
        var get = batch.GetAsync(key);
        await batch.ExecuteAsync();

        Assert.True(await set);
        Assert.Equal("value"u8.ToArray(), await get);
    }
}
