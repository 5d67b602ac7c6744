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
    public string[] Scopes { get; set; } = [];
    public int? RequestsPerMinute { get; set; }
    public int? TokensPerMinute { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
