using System.Buffers;
using System.Text.Json;

namespace Platform.Usage.Producer;

/// <summary>
/// A batch of records serialised back to back into one reusable buffer, with a slice per record: the
/// sender allocates nothing per record in the steady state. Reusable only once Redis has answered the
/// whole batch, because until then the connection's writer may still be copying from the buffer.
/// </summary>
internal sealed class SerializedRecords
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private readonly Utf8JsonWriter _writer;
    private readonly List<int> _ends = [];
    private readonly List<ReadOnlyMemory<byte>> _values = [];

    public SerializedRecords() => _writer = new Utf8JsonWriter(_buffer, UsageRecordSerializer.WriterOptions);

    /// <summary>The records' JSON, in order; valid until the next <see cref="Serialize"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Values => _values;

    public void Serialize(IReadOnlyList<UsageRecord> records)
    {
        _buffer.ResetWrittenCount();
        _ends.Clear();
        _values.Clear();
        foreach (var record in records)
        {
            _writer.Reset(_buffer);
            UsageRecordSerializer.Serialize(_writer, record);
            _writer.Flush();
            _ends.Add(_buffer.WrittenCount);
        }
        // Sliced only now: the buffer may have been reallocated while it grew.
        var written = _buffer.WrittenMemory;
        var start = 0;
        foreach (var end in _ends)
        {
            _values.Add(written[start..end]);
            start = end;
        }
    }
}
