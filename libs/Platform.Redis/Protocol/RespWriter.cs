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
        WriteHeader(writer, (byte)'*', args.Length + 1);
        var name = CommandNames.GetOrAdd(command, static c => EncodeBulk(c));
        writer.Write(name);
        foreach (var arg in args)
        {
            var length = arg.GetByteCount();
            var span = writer.GetSpan(length + 16);
            var position = WriteLength(span, (byte)'$', length);
            position += arg.CopyTo(span[position..]);
            span[position++] = (byte)'\r';
            span[position++] = (byte)'\n';
            writer.Advance(position);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte prefix, int length)
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
