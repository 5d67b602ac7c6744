namespace Platform.Redis.Tests;

public class StreamCommandTests : SharedConnection
{
    [Fact]
    public async Task EntriesAreReadOnceByTheGroupAndAcknowledged()
    {
        var stream = Key("usage");
        Assert.True(await Redis.XGroupCreateAsync(stream, "workers"));
        var first = await Redis.XAddAsync(stream, [new("tenant", Bytes("t1")), new("tokens", Bytes("42"))]);
        var second = await Redis.XAddAsync(stream, [new("tenant", Bytes("t2"))]);

        var read = await Redis.XReadGroupAsync(stream, "workers", "w1", count: 10);

        Assert.Equal([first, second], read.Select(e => e.Id));
        Assert.Equal("t1", read[0].GetString("tenant"));
        Assert.Equal("42", Text(read[0]["tokens"]!.Value.ToArray()));
        Assert.Null(read[1]["tokens"]);
        Assert.Empty(await Redis.XReadGroupAsync(stream, "workers", "w1", count: 10));
        Assert.Equal(2, await Redis.XAckAsync(stream, "workers", [first, second]));
        Assert.Equal(0, (await Redis.XPendingAsync(stream, "workers")).Count);
    }

    [Fact]
    public async Task CreatingAnExistingGroupReturnsFalse()
    {
        Assert.True(await Redis.XGroupCreateAsync(Key("g"), "group"));
        Assert.False(await Redis.XGroupCreateAsync(Key("g"), "group"));
    }

    [Fact]
    public async Task GroupOnMissingStreamWithoutCreateIsAServerError()
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Redis.XGroupCreateAsync(Key("none"), "group", createStream: false));

        Assert.Equal("ERR", error.ErrorPrefix);
    }

    [Fact]
    public async Task PendingEntriesAreReportedPerConsumer()
    {
        var stream = Key("pending");
        await Redis.XGroupCreateAsync(stream, "g");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Redis.XAddAsync(stream, [new("n", Bytes(i.ToString()))]));
        }
        await Redis.XReadGroupAsync(stream, "g", "alice", count: 2);
        await Redis.XReadGroupAsync(stream, "g", "bob", count: 2);

        var summary = await Redis.XPendingAsync(stream, "g");
        var entries = await Redis.XPendingRangeAsync(stream, "g", count: 10);
        var bobs = await Redis.XPendingRangeAsync(stream, "g", count: 10, consumer: "bob");

        Assert.Equal(3, summary.Count);
        Assert.Equal(ids[0], summary.LowestId);
        Assert.Equal(ids[2], summary.HighestId);
        Assert.Equal([new StreamConsumerPending("alice", 2), new StreamConsumerPending("bob", 1)], summary.Consumers);
        Assert.Equal(ids, entries.Select(e => e.Id));
        Assert.Equal(["alice", "alice", "bob"], entries.Select(e => e.Consumer));
        Assert.All(entries, e => Assert.Equal(1, e.DeliveryCount));
        Assert.Equal([ids[2]], bobs.Select(e => e.Id));
        Assert.Empty(await Redis.XPendingRangeAsync(stream, "g", count: 10, minIdle: TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task EmptyGroupPendingSummaryHasNoIds()
    {
        await Redis.XGroupCreateAsync(Key("quiet"), "g");

        var summary = await Redis.XPendingAsync(Key("quiet"), "g");

        Assert.Equal(0, summary.Count);
        Assert.Null(summary.LowestId);
        Assert.Empty(summary.Consumers);
    }

    [Fact]
    public async Task AutoClaimMovesIdleEntriesAndReportsDeletedOnes()
    {
        var stream = Key("claim");
        await Redis.XGroupCreateAsync(stream, "g");
        var kept = await Redis.XAddAsync(stream, [new("v", Bytes("kept"))]);
        var deleted = await Redis.XAddAsync(stream, [new("v", Bytes("deleted"))]);
        await Redis.XReadGroupAsync(stream, "g", "crashed", count: 10);
        Assert.Equal(1, await Redis.XDelAsync(stream, [deleted]));
        await Task.Delay(30);

        var claimed = await Redis.XAutoClaimAsync(stream, "g", "rescuer", TimeSpan.FromMilliseconds(10));

        Assert.Equal("0-0", claimed.NextStart);
        Assert.Equal([kept], claimed.Entries.Select(e => e.Id));
        Assert.Equal("kept", claimed.Entries[0].GetString("v"));
        Assert.Equal([deleted], claimed.DeletedIds);
        Assert.Equal("rescuer", Assert.Single(await Redis.XPendingRangeAsync(stream, "g", 10)).Consumer);
    }

    [Fact]
    public async Task MaxLengthAndTrimBoundTheStream()
    {
        var stream = Key("bounded");
        for (var i = 0; i < 10; i++)
        {
            await Redis.XAddAsync(stream, [new("i", Bytes(i.ToString()))], maxLength: 5);
        }

        Assert.Equal(5, await Redis.XLenAsync(stream));
        Assert.Equal(3, await Redis.XTrimAsync(stream, 2, approximate: false));
        Assert.Equal(2, await Redis.XLenAsync(stream));
    }

    [Fact]
    public async Task ExplicitIdIsUsed()
    {
        Assert.Equal("5-1", await Redis.XAddAsync(Key("ids"), [new("f", Bytes("v"))], id: "5-1"));
    }

    [Fact]
    public async Task BlockingReadReturnsWhenAnEntryArrives()
    {
        var stream = Key("wake");
        await Redis.XGroupCreateAsync(stream, "g");

        var read = Redis.XReadGroupAsync(stream, "g", "c", 10, block: TimeSpan.FromSeconds(20));
        await Task.Delay(100);
        var id = await Redis.XAddAsync(stream, [new("f", Bytes("v"))]);

        Assert.Equal(id, Assert.Single(await read).Id);
    }

    [Fact]
    public async Task BlockingReadThatTimesOutReturnsNothing()
    {
        await Redis.XGroupCreateAsync(Key("idle"), "g");

        Assert.Empty(await Redis.XReadGroupAsync(Key("idle"), "g", "c", 10, block: TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task BlockingReadDoesNotDelayOtherCommands()
    {
        var stream = Key("blocked");
        await Redis.XGroupCreateAsync(stream, "g");
        var blocked = Redis.XReadGroupAsync(stream, "g", "c", 10, block: TimeSpan.FromSeconds(30));

        // While the read blocks, a thousand ordinary commands on the shared socket all complete.
        for (var i = 0; i < 1000; i++)
        {
            await Redis.SetAsync(Key("free"), Bytes(i.ToString()));
        }

        Assert.False(blocked.IsCompleted);
        Assert.Equal("999", Text(await Redis.GetAsync(Key("free"))));
        await Redis.XAddAsync(stream, [new("f", Bytes("v"))]);
        Assert.Single(await blocked);
    }

    [Fact]
    public async Task CancellingABlockedReadEndsItAndTheConnectionStaysUsable()
    {
        var stream = Key("cancel");
        await Redis.XGroupCreateAsync(stream, "g");
        using var cancellation = new CancellationTokenSource();

        var read = Redis.XReadGroupAsync(stream, "g", "c", 10, block: TimeSpan.FromMinutes(5), ct: cancellation.Token);
        await Task.Delay(100);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        await Redis.XAddAsync(stream, [new("f", Bytes("after"))]);
        var next = await Redis.XReadGroupAsync(stream, "g", "c", 10, block: TimeSpan.FromSeconds(10));
        Assert.Equal("after", Assert.Single(next).GetString("f"));
    }
}
