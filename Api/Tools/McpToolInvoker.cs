using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Sessions;

namespace Platform.Api.Tools;

/// <summary>Calls a catalog tool on its server through the session pool, with the configured time limit.</summary>
public sealed class McpToolInvoker(McpSessionPools pools, IOptions<McpOptions> options)
{
    public async Task<CallToolResult> InvokeAsync(McpTool tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ToolCallTimeout);
        try
        {
            return await pools.Get(tool.ServerLabel).CallToolAsync(tool.Name, ToDictionary(arguments), tool.Idempotent, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Tool '{tool.ExposedName}' did not answer within {options.Value.ToolCallTimeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>The result as the text a model reads: text blocks, else the structured content as JSON.</summary>
    public static string ResultText(CallToolResult result)
    {
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (block is TextContentBlock textBlock)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }
                text.Append(textBlock.Text);
            }
        }
        if (text.Length == 0 && result.StructuredContent is { } structured)
        {
            text.Append(structured.GetRawText());
        }
        return text.ToString();
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : [];
}
