using System.Collections.Concurrent;
using System.Threading.Channels;
using Platform.Testing;

namespace Platform.Redis.Tests;

public class ReconnectTests : IAsyncLifetime
{
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.LaunchAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CommandsFailFastWhileDownAndSucceedOnceTheServerIsBack()
    {
        await using var redis = await RedisConnection.ConnectAsync(_server.ConnectionString);
        var changes = Channel.CreateUnbounded<bool>();
        redis.ConnectionChanged += (_, connected) => changes.Writer.TryWrite(connected);
        await redis.SetAsync("k", "before"u8.ToArray());

        await _server.KillAsync();
        Assert.False(await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(redis.IsConnected);
        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.GetAsync("k"));

        await _server.StartAsync();
        Assert.True(await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(await redis.SetAsync("k", "after"u8.ToArray()));
        Assert.Equal("after"u8.ToArray(), await redis.GetAsync("k"));
    }

    [Fact]
    public async Task RestartMidLoadNeverDeliversAReplyToTheWrongCaller()
    {
        await using var redis = await RedisConnection.ConnectAsync(_server.ConnectionString);
        using var stop = new CancellationTokenSource();
        var succeeded = 0;
        var failedWithConnectionError = 0;
        var wrongReplies = new ConcurrentBag<string>();

        var callers = Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var value = $"{caller}:{i}:{Guid.NewGuid()}";
                try
                {
                    if (i % 3 == 0)
                    {
                        // A batch: three different reply shapes that must each reach their own task.
                        var batch = redis.CreateBatch();
                        var set = batch.SetAsync($"k:{caller}", System.Text.Encoding.UTF8.GetBytes(value));
                        var get = batch.GetAsync($"k:{caller}");
                        var length = batch.ExecuteAsync("STRLEN", [$"k:{caller}"]);
                        await batch.ExecuteAsync();
                        if (!await set || System.Text.Encoding.UTF8.GetString((await get)!) != value || (await length).AsInt64() != value.Length)
                        {
                            wrongReplies.Add(value);
                        }
                    }
                    else
                    {
                        var echo = await redis.ExecuteAsync("ECHO", [value]);
                        if (echo.AsString() != value)
                        {
                            wrongReplies.Add(value);
                        }
                    }
                    Interlocked.Increment(ref succeeded);
                }
                catch (RedisConnectionException)
                {
                    Interlocked.Increment(ref failedWithConnectionError);
                    await Task.Delay(5);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => Volatile.Read(ref succeeded) > 2000);
        await _server.RestartAsync(TimeSpan.FromMilliseconds(300));
        var beforeRecovery = Volatile.Read(ref succeeded);
        await WaitUntilAsync(() => Volatile.Read(ref succeeded) > beforeRecovery + 2000);
        stop.Cancel();
        await Task.WhenAll(callers);

        Assert.Empty(wrongReplies);
        Assert.True(failedWithConnectionError > 0, "the restart should have failed some calls");
    }

    [Fact]
    public async Task SubscriptionSurvivesARestart()
    {
        await using var redis = await RedisConnection.ConnectAsync(_server.ConnectionString);
        var received = Channel.CreateUnbounded<string>();
        await using var subscription = await redis.SubscribeAsync("events", (_, m) => received.Writer.TryWrite(System.Text.Encoding.UTF8.GetString(m.Span)));

        await _server.RestartAsync(TimeSpan.FromMilliseconds(200));

        // Publish until the restored subscription receives: the pub/sub socket reconnects on its own schedule.
        await WaitUntilAsync(async () => redis.IsConnected && await redis.PublishAsync("events", "after restart"u8.ToArray()) == 1);
        Assert.Equal("after restart", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SubscribingWhileDownTakesEffectWhenTheServerIsBack()
    {
        await using var redis = await RedisConnection.ConnectAsync(_server.ConnectionString);
        await _server.KillAsync();
        var received = Channel.CreateUnbounded<string>();

        await using var subscription = await redis.SubscribeAsync("later", (_, m) => received.Writer.TryWrite(System.Text.Encoding.UTF8.GetString(m.Span)));
        await _server.StartAsync();

        await WaitUntilAsync(async () => redis.IsConnected && await redis.PublishAsync("later", "hello"u8.ToArray()) == 1);
        Assert.Equal("hello", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CreateReturnsAtOnceAndConnectsWhenTheServerAppears()
    {
        await _server.KillAsync();
        var options = RedisConnectionOptions.Parse(_server.ConnectionString);
        await using var redis = RedisConnection.Create(options);

        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());

        await _server.StartAsync();
        await WaitUntilAsync(() => redis.IsConnected);
        await redis.PingAsync();
    }

    [Fact]
    public async Task ConnectAsyncThrowsWhenUnreachableAndAbortConnectIsTrue()
    {
        await _server.KillAsync();

        var error = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisConnection.ConnectAsync($"127.0.0.1:{_server.Port},abortConnect=true,connectTimeout=2000"));

        Assert.Contains($"127.0.0.1:{_server.Port}", error.Message);
    }

    [Fact]
    public async Task BatchWhileDownFailsEveryCommandAtOnce()
    {
        await using var redis = await RedisConnection.ConnectAsync(_server.ConnectionString);
        await _server.KillAsync();
        await WaitUntilAsync(() => !redis.IsConnected);
        var batch = redis.CreateBatch();
        var set = batch.SetAsync("k", "v"u8.ToArray());

        await Assert.ThrowsAsync<RedisConnectionException>(() => batch.ExecuteAsync());
        await Assert.ThrowsAsync<RedisConnectionException>(() => set);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (RedisException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The condition did not become true within 30 s.");
    }
}
