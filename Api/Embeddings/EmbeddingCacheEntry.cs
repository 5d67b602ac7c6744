using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Platform.Api.Embeddings;

/// <summary>
/// What the response cache keeps for an embeddings request: the vectors and the prompt tokens they
/// cost, as one byte array (every HybridCache stores byte[] as it is, so no serializer is involved).
/// Layout: prompt tokens, count, dimensions (little-endian int32), then count × dimensions float32.
/// </summary>
public static class EmbeddingCacheEntry
{
    private const string KeyVersion = "embeddings:v1:";
    private const int HeaderBytes = 3 * sizeof(int);

    /// <summary>SHA-256 of everything that changes the vectors; the tenant is in it, so an entry is never shared across tenants.</summary>
    public static string Key(string tenant, EmbeddingRoute route, ParsedEmbeddingRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", tenant);
            writer.WriteString("provider", route.ProviderName);
            writer.WriteString("model", route.ModelId);
            if (request.Dimensions is { } dimensions)
            {
                writer.WriteNumber("dimensions", dimensions);
            }
            writer.WriteStartArray("input");
            foreach (var input in request.Inputs)
            {
                writer.WriteStringValue(input);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return KeyVersion + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    public static byte[] Write(IReadOnlyList<ReadOnlyMemory<float>> vectors, int promptTokens)
    {
        var dimensions = vectors.Count == 0 ? 0 : vectors[0].Length;
        if (vectors.Any(v => v.Length != dimensions))
        {
            throw new InvalidOperationException("The provider returned embeddings of different lengths in one response.");
        }
        var bytes = new byte[HeaderBytes + vectors.Count * dimensions * sizeof(float)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, promptTokens);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), vectors.Count);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), dimensions);
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(HeaderBytes));
        for (var i = 0; i < vectors.Count; i++)
        {
            vectors[i].Span.CopyTo(floats.Slice(i * dimensions, dimensions));
        }
        return bytes;
    }

    public static (ReadOnlyMemory<float>[] Vectors, int PromptTokens) Read(byte[] bytes)
    {
        var promptTokens = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var dimensions = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var all = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(HeaderBytes)).ToArray();
        var vectors = new ReadOnlyMemory<float>[count];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = all.AsMemory(i * dimensions, dimensions);
        }
        return (vectors, promptTokens);
    }
}
