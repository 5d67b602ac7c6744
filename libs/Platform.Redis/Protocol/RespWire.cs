using System.Buffers;
using System.Text;

namespace Platform.Redis.Protocol;

/// <summary>
/// Reads RESP elements of an expected type straight from a reply already known to be whole. Each
/// method leaves the reader where it was and returns false when the next element is of another type,
/// so that callers can fall back to the generic parser.
/// </summary>
internal static class RespWire
{
    /// <summary>Reads the header of an element with this prefix: the array's count or the bulk string's length (-1 for nil).</summary>
    public static bool TryReadHeader(ref SequenceReader<byte> reader, byte prefix, out long value)
    {
        value = 0;
        var start = reader;
        if (!reader.TryRead(out var actual) || actual != prefix || !reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n') || line.Length == 0 || line[^1] != (byte)'\r')
        {
            reader = start;
            return false;
        }
        value = RespParser.ParseInteger(line[..^1]);
        return true;
    }

    public static bool TrySkipBulk(ref SequenceReader<byte> reader)
    {
        var start = reader;
        if (!TryReadHeader(ref reader, (byte)'$', out var length) || length >= 0 && reader.Remaining < length + 2)
        {
            reader = start;
            return false;
        }
        if (length >= 0)
        {
            reader.Advance(length + 2);
        }
        return true;
    }

    /// <summary>A bulk string's bytes in an array of their own (nil is false, like any other type).</summary>
    public static bool TryReadBulk(ref SequenceReader<byte> reader, out byte[] value)
    {
        value = [];
        var start = reader;
        if (!TryReadHeader(ref reader, (byte)'$', out var length) || length < 0 || reader.Remaining < length + 2)
        {
            reader = start;
            return false;
        }
        value = GC.AllocateUninitializedArray<byte>(checked((int)length));
        reader.TryCopyTo(value);
        reader.Advance(length + 2);
        return true;
    }

    /// <summary>A bulk string decoded as UTF-8, without an intermediate array when it lies in one buffer segment.</summary>
    public static bool TryReadBulkString(ref SequenceReader<byte> reader, out string value)
    {
        value = "";
        var start = reader;
        if (!TryReadHeader(ref reader, (byte)'$', out var length) || length < 0 || reader.Remaining < length + 2)
        {
            reader = start;
            return false;
        }
        var unread = reader.UnreadSpan;
        value = unread.Length >= length
            ? Encoding.UTF8.GetString(unread[..(int)length])
            : Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length + 2);
        return true;
    }
}
