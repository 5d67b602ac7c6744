using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Caching.Serialization;

/// <summary>Fast path for byte arrays: stored as they are.</summary>
internal sealed class ByteArrayHybridCacheSerializer : IHybridCacheSerializer<byte[]>
{
    public byte[] Deserialize(ReadOnlySequence<byte> source) => source.ToArray();

    public void Serialize(byte[] value, IBufferWriter<byte> target) => target.Write(value);
}
