using System.Text.Json;

namespace Platform.Usage;

/// <summary>The wire form of a record in the usage stream and the journal: compact UTF-8 JSON.</summary>
public static class UsageRecordSerializer
{
    public static byte[] Serialize(UsageRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, UsageJsonContext.Default.UsageRecord);

    /// <summary>Parses a record; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static UsageRecord Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var record = JsonSerializer.Deserialize(utf8Json, UsageJsonContext.Default.UsageRecord)
                ?? throw new FormatException("The usage record is JSON null.");
            if (record.Id == Guid.Empty)
            {
                throw new FormatException("The usage record has an empty id.");
            }
            return record;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The usage record is not valid JSON: {ex.Message}", ex);
        }
    }
}
