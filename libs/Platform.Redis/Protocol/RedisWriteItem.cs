using System.Buffers;

namespace Platform.Redis.Protocol;

/// <summary>Something the writer loop serialises: one command or a whole batch.</summary>
internal abstract class RedisWriteItem
{
    public abstract void WriteTo(IBufferWriter<byte> writer);
}
