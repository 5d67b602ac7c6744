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
            return await pools.Get(tool.ServerLabel).CallToolAsync(tool.Name, ToDictionary(arguments), tool.Idempotent, timeout.Token, tool.InputSchema);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Tool '{tool.ExposedName}' did not answer within {options.Value.ToolCallTimeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>
    /// The whole result as the text a model reads (tool messages carry text only): text blocks; the
    /// structured content as JSON unless a text block already says the same (servers are asked to send both);
    /// images and audio named by type and size; embedded resources with their URI and text; resource links.
    /// </summary>
    public static string ResultText(CallToolResult result)
    {
        var text = new StringBuilder();
        var structuredSaid = false;
        foreach (var block in result.Content)
        {
            var part = block switch
            {
                TextContentBlock t => t.Text,
                ImageContentBlock image => $"[image {image.MimeType}, {image.DecodedData.Length} bytes]",
                AudioContentBlock audio => $"[audio {audio.MimeType}, {audio.DecodedData.Length} bytes]",
                EmbeddedResourceBlock { Resource: TextResourceContents resource } => $"[resource {resource.Uri}{MimeSuffix(resource.MimeType)}]\n{resource.Text}",
                EmbeddedResourceBlock { Resource: BlobResourceContents blob } => $"[resource {blob.Uri}{MimeSuffix(blob.MimeType)}, {blob.DecodedData.Length} bytes]",
                ResourceLinkBlock link => $"[resource link {link.Uri}: {link.Name}{MimeSuffix(link.MimeType)}]",
                _ => $"[{block.Type} content]",
            };
            if (block is TextContentBlock textBlock && result.StructuredContent is { } structured && SameJson(textBlock.Text, structured))
            {
                structuredSaid = true;
            }
            Append(text, part);
        }
        if (!structuredSaid && result.StructuredContent is { } content)
        {
            Append(text, content.GetRawText());
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string part)
    {
        if (text.Length > 0)
        {
            text.Append('\n');
        }
        text.Append(part);
    }

    private static string MimeSuffix(string? mimeType) => mimeType is null ? "" : $" ({mimeType})";

    private static bool SameJson(string text, JsonElement structured)
    {
        try
        {
            using var parsed = JsonDocument.Parse(text);
            return JsonElement.DeepEquals(parsed.RootElement, structured);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : [];
}
