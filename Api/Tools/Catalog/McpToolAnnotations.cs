using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Catalog;

/// <summary>
/// What a server says a tool does (MCP tool annotations). Hints from the server, not guarantees: the catalog
/// shows them, and the pool retries a failed call only for a tool that says it is read-only or idempotent.
/// </summary>
public sealed record McpToolAnnotations(bool? ReadOnlyHint, bool? DestructiveHint, bool? IdempotentHint, bool? OpenWorldHint)
{
    // Property names as MCP spells them, so the persisted JSON reads like the protocol's.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Calling it twice does no harm, so a call that failed may be sent again.</summary>
    public bool AllowsRetry => ReadOnlyHint == true || IdempotentHint == true;

    public static McpToolAnnotations? From(ToolAnnotations? annotations) =>
        annotations is null || (annotations.ReadOnlyHint is null && annotations.DestructiveHint is null
            && annotations.IdempotentHint is null && annotations.OpenWorldHint is null)
            ? null
            : new(annotations.ReadOnlyHint, annotations.DestructiveHint, annotations.IdempotentHint, annotations.OpenWorldHint);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static McpToolAnnotations? FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<McpToolAnnotations>(json, Json);
}
