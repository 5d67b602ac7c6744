namespace Platform.Data.Entities;

/// <summary>One provider call (or cache hit) as persisted by the usage-writer Worker.</summary>
public sealed class UsageRecordEntity
{
    /// <summary>UUIDv7 assigned by the Api; the idempotency key of every write.</summary>
    public Guid Id { get; set; }
    public required string RequestId { get; set; }
    public string? ApiKeyId { get; set; }
    public required string TenantId { get; set; }
    public required string Provider { get; set; }
    public required string Model { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public int CachedTokens { get; set; }
    public int ReasoningTokens { get; set; }
    /// <summary>Null when no price is known for the model at <see cref="CreatedAt"/>.</summary>
    public decimal? Cost { get; set; }
    public bool CacheHit { get; set; }
    /// <summary>Tokens a cache hit did not pay for.</summary>
    public int TokensSaved { get; set; }
    public double LatencyMs { get; set; }
    public double? TimeToFirstTokenMs { get; set; }
    public int ToolCalls { get; set; }
    public required string Status { get; set; }
    public bool Streaming { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Tokens counted by the Api with a tokenizer because the provider reported none (an abandoned stream).</summary>
    public bool Estimated { get; set; }
    /// <summary>The deployment of the model that answered; null for cache hits and older records.</summary>
    public string? Deployment { get; set; }
}
