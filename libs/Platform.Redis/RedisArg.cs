using System.Globalization;
using System.Text;

namespace Platform.Redis;

/// <summary>
/// One argument of a command. Holds the caller's string, bytes or number as they are; the RESP
/// writer encodes them straight into the socket's buffers, so values are never copied twice.
/// </summary>
public readonly struct RedisArg
{
    private enum ArgKind : byte
    {
        Bytes,
        Text,
        Integer,
    }

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly string? _text;
    private readonly long _integer;
    private readonly ArgKind _kind;

    private RedisArg(ReadOnlyMemory<byte> bytes)
    {
        _bytes = bytes;
        _kind = ArgKind.Bytes;
    }

    private RedisArg(string text)
    {
        _text = text ?? throw new ArgumentNullException(nameof(text));
        _kind = ArgKind.Text;
    }

    private RedisArg(long integer)
    {
        _integer = integer;
        _kind = ArgKind.Integer;
    }

    public static implicit operator RedisArg(string value) => new(value);

    public static implicit operator RedisArg(ReadOnlyMemory<byte> value) => new(value);

    public static implicit operator RedisArg(byte[] value) => new((ReadOnlyMemory<byte>)value);

    public static implicit operator RedisArg(long value) => new(value);

    public static implicit operator RedisArg(int value) => new((long)value);

    public static implicit operator RedisArg(double value) => new(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Number of bytes the argument occupies on the wire (without the RESP framing).</summary>
    internal int GetByteCount() => _kind switch
    {
        ArgKind.Bytes => _bytes.Length,
        ArgKind.Text => Encoding.UTF8.GetByteCount(_text!),
        _ => CountDigits(_integer),
    };

    internal int CopyTo(Span<byte> destination)
    {
        switch (_kind)
        {
            case ArgKind.Bytes:
                _bytes.Span.CopyTo(destination);
                return _bytes.Length;
            case ArgKind.Text:
                return Encoding.UTF8.GetBytes(_text!, destination);
            default:
                _integer.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
                return written;
        }
    }

    public override string ToString() => _kind switch
    {
        ArgKind.Bytes => Encoding.UTF8.GetString(_bytes.Span),
        ArgKind.Text => _text!,
        _ => _integer.ToString(CultureInfo.InvariantCulture),
    };

    private static int CountDigits(long value)
    {
        if (value == long.MinValue)
        {
            return 20;
        }
        var count = value < 0 ? 2 : 1;
        var remaining = Math.Abs(value);
        while (remaining >= 10)
        {
            remaining /= 10;
            count++;
        }
        return count;
    }
}
