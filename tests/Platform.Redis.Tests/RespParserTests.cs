using System.Buffers;
using System.Text;
using Platform.Redis.Protocol;

namespace Platform.Redis.Tests;

public class RespParserTests
{
    private const string Replies = "+OK\r\n-WRONGTYPE bad\r\n:-42\r\n$5\r\nh\r\nl\0\r\n$-1\r\n*-1\r\n*0\r\n*3\r\n$1\r\na\r\n*1\r\n:7\r\n$0\r\n\r\n";

    [Fact]
    public void EveryReplyKindIsParsedBinarySafe()
    {
        var replies = ParseAll(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Replies)), out var consumed);

        Assert.Equal(Replies.Length, consumed);
        Assert.Equal(
            ["SimpleString: OK", "Error: WRONGTYPE bad", "Integer: -42", "BulkString: h\r\nl\0", "(nil)", "(nil)", "Array[0]", "Array[3]"],
            replies.Select(r => r.ToString()));
        Assert.Equal(7, replies[7].Elements[1].Elements[0].AsInt64());
        Assert.Empty(replies[7].Elements[2].AsBytes()!);
    }

    [Fact]
    public void ReplySplitAtAnyByteIsParsedOnceComplete()
    {
        var bytes = Encoding.UTF8.GetBytes(Replies);
        for (var split = 1; split < bytes.Length; split++)
        {
            // A prefix alone yields only the replies it holds completely, and never consumes a partial one.
            var partial = ParseAll(new ReadOnlySequence<byte>(bytes, 0, split), out var consumed);
            var rest = ParseAll(Segmented(bytes[consumed..], split % 3 + 1), out var restConsumed);

            Assert.Equal(8, partial.Count + rest.Count);
            Assert.Equal(bytes.Length, consumed + restConsumed);
        }
    }

    [Fact]
    public void GarbageIsAProtocolError()
    {
        Assert.Throws<RedisException>(() => ParseAll(new ReadOnlySequence<byte>("?what\r\n"u8.ToArray()), out _));
    }

    [Fact]
    public void LargeReplyArrivingInPiecesIsScannedOnceAndParsedWhenWhole()
    {
        var reply = StreamReply(entries: 5_000);
        var scanner = new RespReplyScanner();
        var received = 0;
        while (true)
        {
            received = Math.Min(reply.Length, received + 16 * 1024);
            // What was scanned before is overwritten with garbage: a scanner that started over would fail on it.
            var buffer = (byte[])reply.Clone();
            buffer.AsSpan(0, Math.Max(0, received - 32 * 1024)).Fill((byte)'?');
            if (scanner.IsComplete(new ReadOnlySequence<byte>(buffer, 0, received)))
            {
                break;
            }
            Assert.True(received < reply.Length, "The whole reply was buffered but not seen as complete.");
        }

        Assert.Equal(reply.Length, received);
        var replies = ParseAll(new ReadOnlySequence<byte>(reply), out var consumed);
        Assert.Equal(reply.Length, consumed);
        Assert.Equal(5_000, Assert.Single(replies).Elements[0].Elements[1].Elements.Count);
    }

    private static List<RedisReply> ParseAll(ReadOnlySequence<byte> buffer, out int consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var scanner = new RespReplyScanner();
        var replies = new List<RedisReply>();
        consumed = 0;
        while (scanner.IsComplete(buffer.Slice(reader.Position)) && RespParser.TryRead(ref reader, out var reply))
        {
            replies.Add(reply);
            consumed = (int)reader.Consumed;
        }
        return replies;
    }

    /// <summary>An XREADGROUP reply: [[stream, [[id, [field, value]], ...]]].</summary>
    private static byte[] StreamReply(int entries)
    {
        var text = new StringBuilder($"*1\r\n*2\r\n$6\r\nstream\r\n*{entries}\r\n");
        var value = new string('x', 300);
        for (var i = 0; i < entries; i++)
        {
            var id = $"1700000000000-{i}";
            text.Append($"*2\r\n${id.Length}\r\n{id}\r\n*2\r\n$6\r\nrecord\r\n${value.Length}\r\n{value}\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The bytes as a chain of tiny segments, as a socket may deliver them.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentLength)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(bytes.AsMemory(0, Math.Min(segmentLength, bytes.Length)), 0);
        var last = first;
        for (var offset = segmentLength; offset < bytes.Length; offset += segmentLength)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(segmentLength, bytes.Length - offset)));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
