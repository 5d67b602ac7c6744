using System.Buffers;
using System.IO.Pipelines;

namespace Platform.Redis.Protocol;

/// <summary>Something the writer loop serialises: one command or a whole batch.</summary>
internal abstract class RedisWriteItem
{
    public abstract void WriteTo(IBufferWriter<byte> writer);

    /// <summary>
    /// Writes the item's next part, stopping once <paramref name="output"/> holds at least
    /// <paramref name="flushThreshold"/> unflushed bytes; true when all of it is written. Large items
    /// (thousands of pipelined commands) override this so the writer loop flushes between parts: Redis
    /// gets bytes sooner, and what is buffered stays small enough for the buffer pool instead of
    /// megabytes of fresh buffers per batch. Only the connection's writer loop calls it.
    /// </summary>
    public virtual bool WriteSome(PipeWriter output, long flushThreshold)
    {
        WriteTo(output);
        return true;
    }
}
