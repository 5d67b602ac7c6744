using Platform.Testing;

namespace Platform.Redis.Tests;

public class ConcurrencyTests : SharedConnection
{
    [Fact]
    public async Task TenThousandConcurrentMixedCallsEachGetTheirOwnReply()
    {
        const int Callers = 50;
        const int CallsPerCaller = 200;
        var stream = Key("mixed-stream");

        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < CallsPerCaller; i++)
            {
                var key = Key($"c{caller}:{i}");
                var value = $"value-{caller}-{i}-{Guid.NewGuid()}";
                switch (i % 4)
                {
                    case 0:
                        Assert.True(await Redis.SetAsync(key, Bytes(value)));
                        Assert.Equal(value, Text(await Redis.GetAsync(key)));
                        break;
                    case 1:
                        var set = Redis.SetAsync(key, Bytes(value), TimeSpan.FromMinutes(1));
                        var get = Redis.GetAsync(key);
                        var ttl = Redis.PTtlAsync(key);
                        Assert.True(await set);
                        Assert.Equal(value, Text(await get));
                        Assert.NotNull(await ttl);
                        break;
                    case 2:
                        var id = await Redis.XAddAsync(stream, [new("caller", Bytes(value))]);
                        var range = await Redis.ExecuteAsync("XRANGE", [stream, id, id]);
                        Assert.Equal(value, range.Elements[0].Elements[1].Elements[1].AsString());
                        break;
                    default:
                        var echo = await Redis.ExecuteAsync("ECHO", [value]);
                        Assert.Equal(value, echo.AsString());
                        break;
                }
            }
        }));

        await Task.WhenAll(callers);

        Assert.Equal(Callers * CallsPerCaller / 4, await Redis.XLenAsync(stream));
    }

    [Fact]
    public async Task TimedOutCommandDoesNotShiftLaterReplies()
    {
        var options = RedisConnectionOptions.Parse(await SharedServers.GetRedisConnectionStringAsync());
        options.SyncTimeout = TimeSpan.FromMilliseconds(300);
        await using var redis = await RedisConnection.ConnectAsync(options);

        // BLPOP holds this socket for a second, so the command times out while its reply is still to come.
        var blocked = redis.ExecuteAsync("BLPOP", [Key("never"), 1]);
        await Assert.ThrowsAsync<RedisTimeoutException>(() => blocked);
        await Task.Delay(1200);

        Assert.True(await redis.SetAsync(Key("after-timeout"), Bytes("mine")));
        Assert.Equal("mine", Text(await redis.GetAsync(Key("after-timeout"))));
        Assert.True(redis.IsConnected);
    }

    [Fact]
    public async Task CancelledCommandDoesNotShiftLaterReplies()
    {
        using var cancellation = new CancellationTokenSource();
        var blocked = Redis.ExecuteAsync("BLPOP", [Key("nothing"), 1], cancellation.Token);
        var queuedBehind = Redis.ExecuteAsync("ECHO", ["behind"]);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        Assert.Equal("behind", (await queuedBehind).AsString());
        Assert.Equal("next", (await Redis.ExecuteAsync("ECHO", ["next"])).AsString());
    }
}
