using System.Buffers;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Caching.Serialization;

/// <summary>Fast path for strings: UTF-8 bytes, no JSON quoting.</summary>
internal sealed class StringHybridCacheSerializer : IHybridCacheSerializer<string>
{
    public string Deserialize(ReadOnlySequence<byte> source) => Encoding.UTF8.GetString(source);

    public void Serialize(string value, IBufferWriter<byte> target) => Encoding.UTF8.GetBytes(value, target);
}
