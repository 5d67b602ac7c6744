using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Platform.McpHost.Tools;

/// <summary>
/// Base of McpHost's tools: a hand-written JSON schema per tool, validated arguments, and bad input
/// answered as an isError result with a message that says what to fix (never a JSON-RPC error).
/// </summary>
internal abstract class HostTool : McpServerTool
{
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web);

    protected HostTool(string name, string title, string description, string inputSchema, string? outputSchema = null)
    {
        ProtocolTool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = JsonDocument.Parse(inputSchema).RootElement.Clone(),
            OutputSchema = outputSchema is null ? null : JsonDocument.Parse(outputSchema).RootElement.Clone(),
            Annotations = new ToolAnnotations { ReadOnlyHint = true, DestructiveHint = false, IdempotentHint = true, OpenWorldHint = false },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(Invoke(new ToolArguments(request.Params?.Arguments)));
        }
        catch (ToolArgumentException ex)
        {
            return ValueTask.FromResult(Error(ex.Message));
        }
    }

    protected abstract CallToolResult Invoke(ToolArguments arguments);

    /// <summary>Structured content, with its JSON also as text for clients that ignore structuredContent.</summary>
    protected static CallToolResult Structured(JsonObject content)
    {
        var json = content.ToJsonString(JsonOutput);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json }],
            StructuredContent = JsonDocument.Parse(json).RootElement.Clone(),
        };
    }

    protected static CallToolResult Error(string message) => new()
    {
        Content = [new TextContentBlock { Text = message }],
        IsError = true,
    };
}
