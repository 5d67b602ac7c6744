namespace Platform.Caching;

/// <summary>What a flight produced: the value, its serialized form (null when nothing was produced) and whether callers may share the instance.</summary>
internal sealed record CacheFlightResult<T>(T Value, byte[]? Payload, bool Shareable);
