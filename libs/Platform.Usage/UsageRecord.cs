namespace Platform.Usage;

/// <summary>
/// One provider call (or response-cache hit) as the Api captures it. The record travels as JSON
/// through the Redis usage stream (and the local journal) to the usage-writer Worker; its
/// <see cref="Id"/> (UUIDv7) makes every write idempotent.
/// </summary>
public sealed record UsageRecord
{
    public required Guid Id { get; init; }
    public required string RequestId { get; init; }
    public string? ApiKeyId { get; init; }
    public required string TenantId { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public int InputTokens { get; init; }
    public int OutputTokens { get; init; }
    /// <summary>Part of <see cref="InputTokens"/> the provider served from its prompt cache.</summary>
    public int CachedTokens { get; init; }
    /// <summary>Part of <see cref="OutputTokens"/> spent on reasoning.</summary>
    public int ReasoningTokens { get; init; }
    public bool CacheHit { get; init; }
    /// <summary>Tokens a response-cache hit did not pay for (input + output of the replayed answer).</summary>
    public int TokensSaved { get; init; }
    public double LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    public int ToolCalls { get; init; }
    /// <summary>"ok", "cancelled", "client_disconnected" or "error:{type}".</summary>
    public required string Status { get; init; }
    public bool Streaming { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// The token counts were counted by the gateway with a tokenizer, not reported by the provider: a
    /// stream the client abandoned before the provider's usage arrived, or a provider that reports none.
    /// </summary>
    public bool Estimated { get; init; }
    /// <summary>
    /// The deployment of <see cref="Model"/> that answered; null for a cache hit, a call no deployment answered,
    /// and records made before deployments existed (the member is left out of the JSON when null, so either
    /// side reads the other's records).
    /// </summary>
    public string? Deployment { get; init; }
}
