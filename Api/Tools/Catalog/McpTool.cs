using System.Text.Json;

namespace Platform.Api.Tools.Catalog;

/// <summary>One tool of the catalog, as the Api serves and calls it.</summary>
public sealed record McpTool
{
    /// <summary>The name models and the HTTP API use: unique across servers, a valid OpenAI function name.</summary>
    public required string ExposedName { get; init; }

    public required string ServerLabel { get; init; }

    /// <summary>The tool's name on its server.</summary>
    public required string Name { get; init; }

    public string? Title { get; init; }
    public string? Description { get; init; }
    public required JsonElement InputSchema { get; init; }
    public JsonElement? OutputSchema { get; init; }

    /// <summary>Hash of the text the embedding is computed from.</summary>
    public required string ContentHash { get; init; }

    /// <summary>False while the server does not answer: the tool is still served from the last listing.</summary>
    public bool Available { get; init; } = true;

    /// <summary>The server's readOnly/destructive/idempotent/openWorld hints; null when it gave none.</summary>
    public McpToolAnnotations? Annotations { get; init; }

    /// <summary>The server says calling it twice does no harm (readOnlyHint or idempotentHint), so a failed call may be retried.</summary>
    public bool Idempotent => Annotations?.AllowsRetry == true;

    public float[]? Embedding { get; init; }
    public string? EmbeddingModel { get; init; }
}
