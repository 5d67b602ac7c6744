using System.Threading.Channels;

namespace Platform.Redis.Tests;

public class PubSubTests : SharedConnection
{
    [Fact]
    public async Task PublishedMessagesReachEverySubscriber()
    {
        var channel = Key("invalidate");
        var first = Channel.CreateUnbounded<string>();
        var second = Channel.CreateUnbounded<string>();
        await using var a = await Redis.SubscribeAsync(channel, (c, m) => first.Writer.TryWrite($"{c}:{Text(m.ToArray())}"));
        await using var b = await Redis.SubscribeAsync(channel, (_, m) => second.Writer.TryWrite(Text(m.ToArray())));

        Assert.Equal(1, await Redis.PublishAsync(channel, Bytes("key-1")));

        Assert.Equal($"{channel}:key-1", await first.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("key-1", await second.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DisposedSubscriptionStopsReceiving()
    {
        var channel = Key("temporary");
        var received = Channel.CreateUnbounded<string>();
        var subscription = await Redis.SubscribeAsync(channel, (_, m) => received.Writer.TryWrite(Text(m.ToArray())));
        await Redis.PublishAsync(channel, Bytes("one"));
        Assert.Equal("one", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        await subscription.DisposeAsync();

        Assert.Equal(0, await Redis.PublishAsync(channel, Bytes("two")));
    }

    [Fact]
    public async Task MessagesOnOtherChannelsAreNotDelivered()
    {
        var received = Channel.CreateUnbounded<string>();
        await using var subscription = await Redis.SubscribeAsync(Key("mine"), (_, m) => received.Writer.TryWrite(Text(m.ToArray())));

        await Redis.PublishAsync(Key("other"), Bytes("not for me"));
        await Redis.PublishAsync(Key("mine"), Bytes("for me"));

        Assert.Equal("for me", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
