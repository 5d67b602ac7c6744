using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Platform.Redis.Protocol;

/// <summary>
/// Incremental RESP2 parser over the socket's buffered bytes. Returns false when a reply is not
/// complete yet; the connection asks its <see cref="RespReplyScanner"/> first, so that a reply is
/// materialised once, when all of it has arrived.
/// </summary>
internal static class RespParser
{
    public static bool TryRead(ref SequenceReader<byte> reader, out RedisReply reply)
    {
        reply = RedisReply.Null;
        if (!reader.TryRead(out var prefix) || !reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n'))
        {
            return false;
        }
        if (line.Length == 0 || line[^1] != (byte)'\r')
        {
            throw new RedisException("Protocol error: a reply line did not end with CRLF.");
        }
        line = line[..^1];
        switch (prefix)
        {
            case (byte)'+':
                reply = RedisReply.SimpleString(Encoding.UTF8.GetString(line));
                return true;
            case (byte)'-':
                reply = RedisReply.Error(Encoding.UTF8.GetString(line));
                return true;
            case (byte)':':
                reply = RedisReply.Integer(ParseInteger(line));
                return true;
            case (byte)'$':
                return TryReadBulk(ref reader, ParseInteger(line), out reply);
            case (byte)'*':
                return TryReadArray(ref reader, ParseInteger(line), out reply);
            default:
                throw new RedisException($"Protocol error: unexpected reply type '{(char)prefix}'.");
        }
    }

    private static bool TryReadBulk(ref SequenceReader<byte> reader, long length, out RedisReply reply)
    {
        reply = RedisReply.Null;
        if (length < 0)
        {
            return true;
        }
        if (reader.Remaining < length + 2)
        {
            return false;
        }
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
        reader.TryCopyTo(bytes);
        reader.Advance(length + 2);
        reply = RedisReply.Bulk(bytes);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, long count, out RedisReply reply)
    {
        reply = RedisReply.Null;
        if (count < 0)
        {
            return true;
        }
        var elements = count == 0 ? [] : new RedisReply[count];
        for (var i = 0; i < elements.Length; i++)
        {
            if (!TryRead(ref reader, out elements[i]))
            {
                return false;
            }
        }
        reply = RedisReply.Array(elements);
        return true;
    }

    internal static long ParseInteger(ReadOnlySpan<byte> line) =>
        Utf8Parser.TryParse(line, out long value, out var consumed) && consumed == line.Length
            ? value
            : throw new RedisException($"Protocol error: '{Encoding.ASCII.GetString(line)}' is not an integer.");
}
