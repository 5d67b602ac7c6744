using System.Buffers;
using System.IO.Pipelines;

namespace Platform.Redis.Protocol;

/// <summary>The commands of one batch, written back to back and flushed together.</summary>
internal sealed class RedisRequestGroup(IReadOnlyList<RedisRequest> requests) : RedisWriteItem
{
    private int _written; // only the connection's writer loop writes an item

    public IReadOnlyList<RedisRequest> Requests { get; } = requests;

    public override bool WriteSome(PipeWriter output, long flushThreshold)
    {
        while (_written < Requests.Count && output.UnflushedBytes < flushThreshold)
        {
            Requests[_written++].WriteTo(output);
        }
        return _written == Requests.Count;
    }

    public override void WriteTo(IBufferWriter<byte> writer)
    {
        foreach (var request in Requests)
        {
            request.WriteTo(writer);
        }
    }
}
