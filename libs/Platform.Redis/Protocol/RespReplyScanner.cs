using System.Buffers;

namespace Platform.Redis.Protocol;

/// <summary>
/// Tells whether the reply at the start of the buffered bytes is complete, without allocating, and
/// remembers how far it got: a large reply (an XREADGROUP of thousands of entries) that arrives in many
/// socket reads is scanned once in total, not once per read, which would be quadratic in its size.
/// One scanner per connection; its progress is relative to the start of the reply being received, so the
/// caller must not consume bytes of that reply until <see cref="IsComplete"/> says it is whole.
/// </summary>
internal sealed class RespReplyScanner
{
    // Elements each array being scanned still expects, innermost last.
    private readonly Stack<long> _open = new();
    private long _scanned;
    private bool _started;

    /// <summary>True when <paramref name="buffer"/> starts with a whole reply; then the next call starts a new reply.</summary>
    public bool IsComplete(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer.Slice(_scanned));
        while (!_started || _open.Count > 0)
        {
            var start = reader.Consumed;
            if (!TryScanElement(ref reader, out var children))
            {
                return false;
            }
            _scanned += reader.Consumed - start;
            _started = true;
            if (children > 0)
            {
                _open.Push(children);
                continue;
            }
            CloseFinishedArrays();
        }
        Reset();
        return true;
    }

    public void Reset()
    {
        _open.Clear();
        _scanned = 0;
        _started = false;
    }

    /// <summary>A whole element was scanned: it counts for its array, which may thereby be whole too, and so on up.</summary>
    private void CloseFinishedArrays()
    {
        while (_open.Count > 0)
        {
            var left = _open.Pop() - 1;
            if (left > 0)
            {
                _open.Push(left);
                return;
            }
        }
    }

    /// <summary>
    /// Skips one element's header and, for a bulk string, its payload. <paramref name="children"/> is the
    /// number of elements that follow for a non-empty array, else zero. False when the bytes are not all there.
    /// </summary>
    private static bool TryScanElement(ref SequenceReader<byte> reader, out long children)
    {
        children = 0;
        if (!reader.TryRead(out var prefix) || !reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n'))
        {
            return false;
        }
        if (line.Length == 0 || line[^1] != (byte)'\r')
        {
            throw new RedisException("Protocol error: a reply line did not end with CRLF.");
        }
        switch (prefix)
        {
            case (byte)'$':
                var length = RespParser.ParseInteger(line[..^1]);
                if (length < 0)
                {
                    return true;
                }
                if (reader.Remaining < length + 2)
                {
                    return false;
                }
                reader.Advance(length + 2);
                return true;
            case (byte)'*':
                children = Math.Max(0, RespParser.ParseInteger(line[..^1]));
                return true;
            case (byte)'+' or (byte)'-' or (byte)':':
                return true;
            default:
                throw new RedisException($"Protocol error: unexpected reply type '{(char)prefix}'.");
        }
    }
}
