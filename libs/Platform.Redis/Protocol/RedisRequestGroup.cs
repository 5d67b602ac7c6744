using System.Buffers;

namespace Platform.Redis.Protocol;

/// <summary>The commands of one batch, written back to back and flushed together.</summary>
internal sealed class RedisRequestGroup(IReadOnlyList<RedisRequest> requests) : RedisWriteItem
{
    public IReadOnlyList<RedisRequest> Requests { get; } = requests;

    public override void WriteTo(IBufferWriter<byte> writer)
    {
        foreach (var request in Requests)
        {
            request.WriteTo(writer);
        }
    }
}
