namespace Platform.Redis.Tests;

/// <summary>Bulk appends and large reads, the shapes the usage pipeline uses at volume.</summary>
public class BulkStreamTests : SharedConnection
{
    [Fact]
    public async Task ManyEntriesAddedAsOnePipelinedCallArriveInOrderWithTheirValues()
    {
        var stream = Key("many");
        // Values of every size up to a few KiB: the run is several times the writer's flush threshold.
        var values = Enumerable.Range(0, 10_000).Select(i => (ReadOnlyMemory<byte>)Bytes($"{i}:" + new string('v', i % 3_000))).ToArray();

        var added = await Redis.XAddManyAsync(stream, "record", values);

        Assert.Equal(values.Length, added);
        var reply = await Redis.ExecuteAsync("XRANGE", [stream, "-", "+"]);
        Assert.Equal(values.Length, reply.Elements.Count);
        for (var i = 0; i < values.Length; i++)
        {
            var fields = reply.Elements[i].Elements[1].Elements;
            Assert.Equal("record", fields[0].AsString());
            Assert.Equal(values[i].ToArray(), fields[1].AsBytes());
        }
    }

    [Fact]
    public async Task ManyEntriesOnAKeyOfAnotherTypeFailOnceAndLaterCommandsGetTheirOwnReplies()
    {
        var key = Key("not-a-stream");
        await Redis.SetAsync(key, Bytes("text"));

        var error = await Assert.ThrowsAsync<RedisServerException>(() => Redis.XAddManyAsync(key, "record", [Bytes("a"), Bytes("b"), Bytes("c")]));

        Assert.Equal("WRONGTYPE", error.ErrorPrefix);
        Assert.Equal("text", Text(await Redis.GetAsync(key)));
    }

    [Fact]
    public async Task CommandsSentWhileAManyEntryCallIsInFlightGetTheirOwnReplies()
    {
        var stream = Key("interleaved");
        var values = Enumerable.Range(0, 20_000).Select(i => (ReadOnlyMemory<byte>)Bytes(new string('x', 200))).ToArray();

        var adding = Redis.XAddManyAsync(stream, "record", values);
        var others = Enumerable.Range(0, 200).Select(async i =>
        {
            await Redis.SetAsync(Key("other" + i), Bytes(i.ToString()));
            return Text(await Redis.GetAsync(Key("other" + i)));
        }).ToArray();

        Assert.Equal(values.Length, await adding);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString()), await Task.WhenAll(others));
        Assert.Equal(values.Length, await Redis.XLenAsync(stream));
    }

    [Fact]
    public async Task LargeBatchIsWrittenInPartsAndEveryCommandGetsItsOwnReply()
    {
        var batch = Redis.CreateBatch();
        var increments = Enumerable.Range(0, 20_000).Select(i => batch.ExecuteAsync("INCRBY", [Key("sum"), 1])).ToArray();

        await batch.ExecuteAsync();

        Assert.Equal(Enumerable.Range(1, 20_000).Select(i => (long)i), (await Task.WhenAll(increments)).Select(r => r.AsInt64()));
    }

    [Fact]
    public async Task ReadingThousandsOfEntriesAtOnceReturnsEachWithAllItsFields()
    {
        var stream = Key("big-read");
        await Redis.XGroupCreateAsync(stream, "g");
        var batch = Redis.CreateBatch();
        var adds = Enumerable.Range(0, 5_000)
            .Select(i => batch.XAddAsync(stream, [new("record", Bytes(i + new string('r', 400))), new("n", Bytes(i.ToString()))]))
            .ToArray();
        await batch.ExecuteAsync();
        var ids = await Task.WhenAll(adds);

        var read = await Redis.XReadGroupAsync(stream, "g", "c", count: 10_000, block: TimeSpan.FromSeconds(1));

        Assert.Equal(ids, read.Select(e => e.Id));
        Assert.All(read.Select((entry, i) => (entry, i)), x =>
        {
            Assert.Equal(x.i + new string('r', 400), x.entry.GetString("record"));
            Assert.Equal(x.i.ToString(), x.entry.GetString("n"));
        });
    }

    [Fact]
    public async Task PendingEntryDeletedFromTheStreamComesBackWithoutFieldsWhenTheHistoryIsReread()
    {
        var stream = Key("history");
        await Redis.XGroupCreateAsync(stream, "g");
        var kept = await Redis.XAddAsync(stream, [new("v", Bytes("kept"))]);
        var deleted = await Redis.XAddAsync(stream, [new("v", Bytes("deleted"))]);
        await Redis.XReadGroupAsync(stream, "g", "c", count: 10);
        await Redis.XDelAsync(stream, [deleted]);

        var history = await Redis.XReadGroupAsync(stream, "g", "c", count: 10, id: "0");

        Assert.Equal([kept, deleted], history.Select(e => e.Id));
        Assert.Equal("kept", history[0].GetString("v"));
        Assert.Empty(history[1].Fields); // Redis answers [id, nil]; the Worker dead-letters such an entry
    }
}
