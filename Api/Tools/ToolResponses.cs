using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;
using Platform.Api.Tools.Catalog;

namespace Platform.Api.Tools;

/// <summary>A tool as <c>/v1/tools</c> shows it; <c>name</c> is what models call.</summary>
public sealed record ToolResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("server_label")] string ServerLabel,
    [property: JsonPropertyName("server_tool_name")] string ServerToolName,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("input_schema")] JsonElement InputSchema,
    [property: JsonPropertyName("output_schema")] JsonElement? OutputSchema,
    [property: JsonPropertyName("annotations")] ToolAnnotationsResponse? Annotations,
    [property: JsonPropertyName("available")] bool Available)
{
    public static ToolResponse From(McpTool tool) =>
        new("mcp_tool", tool.ExposedName, tool.ServerLabel, tool.Name, tool.Title, tool.Description, tool.InputSchema, tool.OutputSchema,
            tool.Annotations is { } a ? new ToolAnnotationsResponse(a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint) : null,
            tool.Available);
}

/// <summary>The server's MCP tool annotations; absent hints are null (MCP's defaults then apply: not read-only, destructive, not idempotent, open world).</summary>
public sealed record ToolAnnotationsResponse(
    [property: JsonPropertyName("read_only_hint")] bool? ReadOnlyHint,
    [property: JsonPropertyName("destructive_hint")] bool? DestructiveHint,
    [property: JsonPropertyName("idempotent_hint")] bool? IdempotentHint,
    [property: JsonPropertyName("open_world_hint")] bool? OpenWorldHint);

public sealed record ToolListResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ToolResponse> Data,
    [property: JsonPropertyName("first_id")] string? FirstId,
    [property: JsonPropertyName("last_id")] string? LastId,
    [property: JsonPropertyName("has_more")] bool HasMore);

public sealed record ToolSearchResultResponse(
    [property: JsonPropertyName("score")] float Score,
    [property: JsonPropertyName("tool")] ToolResponse Tool);

public sealed record ToolSearchResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("data")] IReadOnlyList<ToolSearchResultResponse> Data);

public sealed record ToolInvocationRequest([property: JsonPropertyName("arguments")] JsonElement? Arguments);

/// <summary>The request body of <c>POST /v1/tools/{name}/invoke</c>, read without reflection.</summary>
[JsonSerializable(typeof(ToolInvocationRequest))]
internal sealed partial class ToolsJsonContext : JsonSerializerContext;

public sealed record ToolInvocationResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("tool")] string Tool,
    [property: JsonPropertyName("is_error")] bool IsError,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("content")] IList<ContentBlock> Content,
    [property: JsonPropertyName("structured_content")] JsonElement? StructuredContent);

public sealed record ToolCatalogStatusResponse(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("tools")] int Tools,
    [property: JsonPropertyName("servers")] IReadOnlyList<McpServerState> Servers);
