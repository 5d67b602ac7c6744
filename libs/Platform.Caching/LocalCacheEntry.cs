namespace Platform.Caching;

/// <summary>
/// An L1 entry: always the serialized bytes (each caller of a mutable type deserializes its own copy),
/// plus the shared instance when the type is immutable.
/// </summary>
internal sealed record LocalCacheEntry(byte[] Payload, object? SharedValue, long CreatedTicks, string[] Tags);
