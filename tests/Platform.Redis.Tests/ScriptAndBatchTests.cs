namespace Platform.Redis.Tests;

public class ScriptAndBatchTests : SharedConnection
{
    private static readonly RedisScript IncrementBy = new("return redis.call('INCRBY', KEYS[1], ARGV[1])");

    [Fact]
    public async Task ScriptRunsAfterTheServerForgotIt()
    {
        Assert.Equal(5, (await Redis.EvalAsync(IncrementBy, [Key("counter")], [5])).AsInt64());

        await Redis.ExecuteAsync("SCRIPT", ["FLUSH"]);

        Assert.Equal(12, (await Redis.EvalAsync(IncrementBy, [Key("counter")], [7])).AsInt64());
    }

    [Fact]
    public async Task NoScriptSurfacesAsServerErrorWhenCalledDirectly()
    {
        var unknown = new RedisScript("return 'never loaded " + Guid.NewGuid() + "'");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => Redis.ExecuteAsync("EVALSHA", [unknown.Sha1, 0]));

        Assert.Equal("NOSCRIPT", error.ErrorPrefix);
    }

    [Fact]
    public async Task ScriptSha1MatchesWhatTheServerComputes()
    {
        var reply = await Redis.ExecuteAsync("SCRIPT", ["LOAD", IncrementBy.Source]);

        Assert.Equal(IncrementBy.Sha1, reply.AsString());
    }

    [Fact]
    public async Task ScriptArraysAndNilsComeBackAsReplies()
    {
        var script = new RedisScript("return {1, 'two', false, {ARGV[1]}}");

        var reply = await Redis.EvalAsync(script, [], [Bytes("three")]);

        Assert.Equal(RedisReplyKind.Array, reply.Kind);
        Assert.Equal(1, reply.Elements[0].AsInt64());
        Assert.Equal("two", reply.Elements[1].AsString());
        Assert.True(reply.Elements[2].IsNull);
        Assert.Equal("three", reply.Elements[3].Elements[0].AsString());
    }

    [Fact]
    public async Task BatchCommandsEachGetTheirOwnReply()
    {
        var batch = Redis.CreateBatch();
        var set = batch.SetAsync(Key("b1"), Bytes("one"));
        var get = batch.GetAsync(Key("b1"));
        var wrong = batch.XLenAsync(Key("b1"));
        var eval = batch.EvalAsync(IncrementBy, [Key("b-counter")], [3]);
        var exists = batch.ExistsAsync([Key("b1"), Key("b2")]);

        Assert.False(set.IsCompleted);
        await batch.ExecuteAsync();

        Assert.True(await set);
        Assert.Equal("one", Text(await get));
        Assert.Equal("WRONGTYPE", (await Assert.ThrowsAsync<RedisServerException>(() => wrong)).ErrorPrefix);
        Assert.Equal(3, (await eval).AsInt64());
        Assert.Equal(1, await exists);
    }

    [Fact]
    public async Task NothingIsSentBeforeTheBatchExecutes()
    {
        var batch = Redis.CreateBatch();
        _ = batch.SetAsync(Key("later"), Bytes("v"));
        await Redis.PingAsync();

        Assert.Null(await Redis.GetAsync(Key("later")));
        await batch.ExecuteAsync();
        Assert.Equal("v", Text(await Redis.GetAsync(Key("later"))));
    }

    [Fact]
    public async Task RawCommandsReturnEveryReplyKind()
    {
        Assert.Equal(RedisReplyKind.SimpleString, (await Redis.ExecuteAsync("SET", [Key("raw"), 10])).Kind);
        Assert.Equal(11, (await Redis.ExecuteAsync("INCR", [Key("raw")])).AsInt64());
        Assert.Equal("11", (await Redis.ExecuteAsync("GET", [Key("raw")])).AsString());
        Assert.True((await Redis.ExecuteAsync("GET", [Key("nothing")])).IsNull);
        Assert.Equal(2, (await Redis.ExecuteAsync("RPUSH", [Key("list"), 1.5, "x"])).AsInt64());
        Assert.Equal(["1.5", "x"], (await Redis.ExecuteAsync("LRANGE", [Key("list"), 0, -1])).Elements.Select(e => e.AsString()));
        Assert.Equal("ERR", (await Assert.ThrowsAsync<RedisServerException>(() => Redis.ExecuteAsync("NOSUCHCOMMAND", []))).ErrorPrefix);
    }

    [Fact]
    public async Task PingAndInfoAnswer()
    {
        Assert.True(await Redis.PingAsync() >= TimeSpan.Zero);
        Assert.Contains("redis_version:", await Redis.InfoAsync("server"));
    }
}
