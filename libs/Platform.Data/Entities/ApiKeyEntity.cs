namespace Platform.Data.Entities;

/// <summary>A bearer key for the Api. Only a hash of the secret is stored.</summary>
public sealed class ApiKeyEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The tenant the key belongs to; cache entries and usage are scoped by it.</summary>
    public required string TenantId { get; set; }
    /// <summary>SHA-256 of the key; keys are random, so no salt or slow hash is needed.</summary>
    public required byte[] KeyHash { get; set; }
    /// <summary>The first characters of the key, to tell keys apart in listings.</summary>
    public required string Prefix { get; set; }
    /// <summary>What the key may call: chat, embeddings, tools, usage:read.</summary>
    public string[] Scopes { get; set; } = [];
    /// <summary>Model names the key may use; empty means every model the gateway serves.</summary>
    public string[] AllowedModels { get; set; } = [];
    public int? RequestsPerMinute { get; set; }
    public int? TokensPerMinute { get; set; }
    /// <summary>Spend allowed per <see cref="BudgetPeriod"/>, in the price table's currency (USD).</summary>
    public decimal? BudgetUsd { get; set; }
    /// <summary>daily, monthly or total; set when <see cref="BudgetUsd"/> is.</summary>
    public string? BudgetPeriod { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>After this instant the key is refused (401 expired_api_key); null never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
