using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Platform.Redis.Protocol;

/// <summary>
/// Many XADDs of one field each, written back to back and answered as one request: one task and one
/// deadline for the lot instead of one per entry, which is what makes bulk appends cheap for the caller.
/// The replies (entry ids) are counted, not kept. Any error reply fails the whole request once every
/// reply has arrived; the other entries were added all the same.
/// </summary>
internal sealed class XAddManyRequest : RedisRequest<int>
{
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _values;
    private readonly byte[] _commandPrefix;
    private int _written; // only the connection's writer loop writes a request
    private int _received;
    private int _added;
    private RedisReply? _firstError;

    public XAddManyRequest(string stream, string field, IReadOnlyList<ReadOnlyMemory<byte>> values)
        : base("XADD", [], static reply => checked((int)reply.AsInt64()))
    {
        _values = values;
        _commandPrefix = EncodePrefix(stream, field);
    }

    protected override int CommandCount => _values.Count;

    public override void WriteTo(IBufferWriter<byte> writer)
    {
        foreach (var value in _values)
        {
            WriteOne(writer, value.Span);
        }
    }

    public override bool WriteSome(PipeWriter output, long flushThreshold)
    {
        while (_written < _values.Count && output.UnflushedBytes < flushThreshold)
        {
            WriteOne(output, _values[_written++].Span);
        }
        return _written == _values.Count;
    }

    private void WriteOne(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        writer.Write(_commandPrefix);
        RespWriter.WriteBulk(writer, value);
    }

    public override bool Accept(ref SequenceReader<byte> reader)
    {
        // An entry id is skipped, not materialised: only errors are worth a RedisReply.
        if (RespWire.TrySkipBulk(ref reader))
        {
            _added++;
            return Received();
        }
        return Accept(ReadGeneric(ref reader));
    }

    public override bool Accept(RedisReply reply)
    {
        if (reply.IsError)
        {
            _firstError ??= reply;
        }
        else
        {
            _added++;
        }
        return Received();
    }

    private bool Received()
    {
        if (++_received < _values.Count)
        {
            return false;
        }
        Complete(_firstError ?? RedisReply.Integer(_added));
        return true;
    }

    /// <summary>Everything of one XADD before its value: <c>XADD stream * field</c> as the start of a 5-element RESP array.</summary>
    private static byte[] EncodePrefix(string stream, string field)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Encoding.UTF8.GetByteCount(stream) + Encoding.UTF8.GetByteCount(field));
        RespWriter.WriteHeader(buffer, (byte)'*', 5);
        RespWriter.WriteBulk(buffer, "XADD"u8);
        RespWriter.WriteBulk(buffer, Encoding.UTF8.GetBytes(stream));
        RespWriter.WriteBulk(buffer, "*"u8);
        RespWriter.WriteBulk(buffer, Encoding.UTF8.GetBytes(field));
        return buffer.WrittenSpan.ToArray();
    }
}
