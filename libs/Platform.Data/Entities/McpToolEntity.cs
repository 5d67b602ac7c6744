namespace Platform.Data.Entities;

/// <summary>A tool of an MCP server, persisted so that a restarted Api serves its last catalog at once.</summary>
public sealed class McpToolEntity
{
    public long Id { get; set; }
    public int ServerId { get; set; }
    public McpServerEntity? Server { get; set; }
    /// <summary>The tool's name on its server; unique per server.</summary>
    public required string Name { get; set; }
    /// <summary>The name models see: unique across servers and valid as an OpenAI function name.</summary>
    public required string ExposedName { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    /// <summary>JSON schema of the arguments (jsonb).</summary>
    public required string InputSchema { get; set; }
    public string? OutputSchema { get; set; }
    /// <summary>The server's behaviour hints (readOnlyHint, destructiveHint, idempotentHint, openWorldHint) as MCP sends them (jsonb).</summary>
    public string? Annotations { get; set; }
    /// <summary>Hash of the text the embedding was computed from; a changed hash means a new embedding.</summary>
    public required string ContentHash { get; set; }
    public float[]? Embedding { get; set; }
    public string? EmbeddingModel { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Set when the server stopped listing the tool.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}
