namespace Platform.Data.Entities;

/// <summary>An MCP server the tool catalog lists tools from.</summary>
public sealed class McpServerEntity
{
    public int Id { get; set; }
    /// <summary>The server label from configuration (unique).</summary>
    public required string Name { get; set; }
    public required string Endpoint { get; set; }
    public bool Available { get; set; }
    public DateTimeOffset? LastListedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<McpToolEntity> Tools { get; set; } = [];
}
