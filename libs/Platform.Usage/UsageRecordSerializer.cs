using System.Text.Json;

namespace Platform.Usage;

/// <summary>The wire form of a record in the usage stream and the journal: compact UTF-8 JSON.</summary>
public static class UsageRecordSerializer
{
    /// <summary>What <see cref="Serialize(Utf8JsonWriter, UsageRecord)"/> needs to write the same bytes as <see cref="Serialize(UsageRecord)"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = UsageJsonContext.Default.Options.Encoder,
        Indented = false,
        SkipValidation = true,
    };

    public static byte[] Serialize(UsageRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, UsageJsonContext.Default.UsageRecord);

    /// <summary>Writes the record into a caller's (pooled) writer; created with <see cref="WriterOptions"/>.</summary>
    public static void Serialize(Utf8JsonWriter writer, UsageRecord record) =>
        JsonSerializer.Serialize(writer, record, UsageJsonContext.Default.UsageRecord);

    /// <summary>Parses a record; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static UsageRecord Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var record = UsageRecordReader.TryRead(utf8Json, out var read)
                ? read
                : JsonSerializer.Deserialize(utf8Json, UsageJsonContext.Default.UsageRecord) ?? throw new FormatException("The usage record is JSON null.");
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
