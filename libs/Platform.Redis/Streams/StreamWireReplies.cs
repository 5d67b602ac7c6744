using System.Buffers;
using Platform.Redis.Protocol;

namespace Platform.Redis;

/// <summary>
/// XREADGROUP replies read straight from the wire into <see cref="StreamEntry"/> objects: per entry its
/// id, its values' bytes and one field array, instead of a <see cref="RedisReply"/> and a byte array for
/// every element. Field names repeat from entry to entry and are decoded once per reply. Any shape
/// other than the usual one (nil, errors, odd field lists) is declined and parsed the generic way.
/// </summary>
internal static class StreamWireReplies
{
    // [[stream, [[id, [field, value, ...]], ...]]] or nil when BLOCK timed out.
    public static bool TryReadGroup(ref SequenceReader<byte> reader, out IReadOnlyList<StreamEntry> entries)
    {
        entries = [];
        if (!RespWire.TryReadHeader(ref reader, (byte)'*', out var streams) || streams != 1
            || !RespWire.TryReadHeader(ref reader, (byte)'*', out var pair) || pair != 2
            || !RespWire.TrySkipBulk(ref reader)
            || !RespWire.TryReadHeader(ref reader, (byte)'*', out var count) || count < 0)
        {
            return false;
        }
        var list = new List<StreamEntry>((int)Math.Min(count, 100_000));
        var names = new FieldNames();
        for (var i = 0L; i < count; i++)
        {
            if (!TryReadEntry(ref reader, names, out var entry))
            {
                return false;
            }
            list.Add(entry);
        }
        entries = list;
        return true;
    }

    private static bool TryReadEntry(ref SequenceReader<byte> reader, FieldNames names, out StreamEntry entry)
    {
        entry = null!;
        if (!RespWire.TryReadHeader(ref reader, (byte)'*', out var parts) || parts != 2
            || !RespWire.TryReadBulkString(ref reader, out var id)
            || !RespWire.TryReadHeader(ref reader, (byte)'*', out var values) || values < 0 || values % 2 != 0)
        {
            return false; // includes [id, nil]: a deleted entry still pending, which the generic path skips
        }
        var fields = new KeyValuePair<string, ReadOnlyMemory<byte>>[values / 2];
        for (var i = 0; i < fields.Length; i++)
        {
            if (!names.TryRead(ref reader, out var name) || !RespWire.TryReadBulk(ref reader, out var value))
            {
                return false;
            }
            fields[i] = new(name, value);
        }
        entry = new StreamEntry(id, fields);
        return true;
    }

    /// <summary>Field names seen in this reply, so that each distinct name becomes one string.</summary>
    private sealed class FieldNames
    {
        private readonly List<(byte[] Bytes, string Name)> _seen = [];

        public bool TryRead(ref SequenceReader<byte> reader, out string name)
        {
            name = "";
            var start = reader;
            if (!RespWire.TryReadHeader(ref reader, (byte)'$', out var length) || length < 0 || reader.Remaining < length + 2)
            {
                reader = start;
                return false;
            }
            var bytes = reader.UnreadSequence.Slice(0, length);
            foreach (var (known, knownName) in _seen)
            {
                if (bytes.Length == known.Length && (bytes.IsSingleSegment ? bytes.FirstSpan.SequenceEqual(known) : bytes.ToArray().AsSpan().SequenceEqual(known)))
                {
                    name = knownName;
                    reader.Advance(length + 2);
                    return true;
                }
            }
            if (_seen.Count < 16)
            {
                var copy = bytes.ToArray();
                name = System.Text.Encoding.UTF8.GetString(copy);
                _seen.Add((copy, name));
            }
            else
            {
                name = System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, bytes);
            }
            reader.Advance(length + 2);
            return true;
        }
    }
}
