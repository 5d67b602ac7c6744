using System.Buffers;
using System.Buffers.Text;

namespace Platform.Usage.Journal;

/// <summary>One journal line: eight hex digits of the CRC-32C of the JSON, a tab, the JSON, a newline.</summary>
public static class JournalLine
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> json)
    {
        var span = output.GetSpan(json.Length + 10);
        Crc32C.Compute(json).TryFormat(span, out _, "x8");
        span[8] = (byte)'\t';
        json.CopyTo(span[9..]);
        span[9 + json.Length] = (byte)'\n';
        output.Advance(json.Length + 10);
    }

    /// <summary>Parses a line without its newline; false when the checksum does not match or the JSON is not a record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out UsageRecord record)
    {
        record = null!;
        if (line.Length < 10 || line[8] != (byte)'\t'
            || !Utf8Parser.TryParse(line[..8], out uint expected, out var consumed, 'x') || consumed != 8)
        {
            return false;
        }
        var json = line[9..];
        if (Crc32C.Compute(json) != expected)
        {
            return false;
        }
        try
        {
            record = UsageRecordSerializer.Deserialize(json);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
