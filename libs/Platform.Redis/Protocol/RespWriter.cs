using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Platform.Redis.Protocol;

/// <summary>Writes commands as RESP arrays of bulk strings straight into the connection's pooled buffers.</summary>
internal static class RespWriter
{
    private static readonly ConcurrentDictionary<string, byte[]> CommandNames = new(StringComparer.Ordinal);

    public static void WriteCommand(IBufferWriter<byte> writer, string command, RedisArg[] args)
    {
        WriteCommandStart(writer, command, args.Length);
        foreach (var arg in args)
        {
            WriteArg(writer, arg);
        }
    }

    /// <summary>The array header for the command and <paramref name="argCount"/> arguments, then the command's name.</summary>
    public static void WriteCommandStart(IBufferWriter<byte> writer, string command, int argCount)
    {
        WriteHeader(writer, (byte)'*', argCount + 1);
        var name = CommandNames.GetOrAdd(command, static c => EncodeBulk(c));
        writer.Write(name);
    }

    public static void WriteArg(IBufferWriter<byte> writer, RedisArg arg)
    {
        var length = arg.GetByteCount();
        var span = writer.GetSpan(length + 16);
        var position = WriteLength(span, (byte)'$', length);
        position += arg.CopyTo(span[position..]);
        span[position++] = (byte)'\r';
        span[position++] = (byte)'\n';
        writer.Advance(position);
    }

    /// <summary>Writes one bulk string: length line, bytes, CRLF.</summary>
    public static void WriteBulk(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        var span = writer.GetSpan(value.Length + 16);
        var position = WriteLength(span, (byte)'$', value.Length);
        value.CopyTo(span[position..]);
        position += value.Length;
        span[position++] = (byte)'\r';
        span[position++] = (byte)'\n';
        writer.Advance(position);
    }

    public static void WriteHeader(IBufferWriter<byte> writer, byte prefix, int length)
    {
        var span = writer.GetSpan(16);
        writer.Advance(WriteLength(span, prefix, length));
    }

    private static int WriteLength(Span<byte> span, byte prefix, int length)
    {
        span[0] = prefix;
        length.TryFormat(span[1..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        var position = digits + 1;
        span[position++] = (byte)'\r';
        span[position++] = (byte)'\n';
        return position;
    }

    private static byte[] EncodeBulk(string command)
    {
        var bytes = Encoding.UTF8.GetBytes(command);
        return Encoding.ASCII.GetBytes($"${bytes.Length}\r\n").Concat(bytes).Concat("\r\n"u8.ToArray()).ToArray();
    }
}
