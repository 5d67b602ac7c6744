using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Search;

namespace Platform.Api.Tools.Chat;

/// <summary>
/// Turns a request's <c>{"type":"mcp","server_label":...,"allowed_tools":[...]}</c> entries into the
/// catalog tools offered to the model. <c>allowed_tools</c> may name a tool by its server name or its
/// exposed name; without it, the best matches for the last user message are picked by search, plus
/// the tool a forced <c>tool_choice</c> names when that server offers it.
/// </summary>
public sealed class McpToolSelector(
    ToolCatalog catalog, ToolSearchService search, McpToolInvoker invoker, IOptions<McpOptions> options, ILogger<McpToolFunction> logger)
{
    /// <summary>
    /// Adds the request's MCP tools to <paramref name="chatOptions"/> as <see cref="McpToolFunction"/>s, which the
    /// pipeline's function invocation runs server-side; the caller's own function declarations stay as they are
    /// (and win when a name is taken twice).
    /// </summary>
    public async Task AddToolsAsync(ChatRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions chatOptions, CancellationToken cancellationToken)
    {
        if (context.ExtensionTools.Count == 0)
        {
            return;
        }
        var required = (chatOptions.ToolMode as RequiredChatToolMode)?.RequiredFunctionName;
        var tools = await SelectAsync(context.ExtensionTools, messages, required, cancellationToken);
        // The request mapping let a tool_choice naming no client function through, for an MCP tool to match it here.
        if (required is not null && !tools.ContainsKey(required) && chatOptions.Tools?.Any(t => t.Name == required) != true)
        {
            throw ChatGatewayException.BadRequest(
                $"tool_choice names '{required}', which is neither a function in 'tools' nor an MCP tool of this request (name it in allowed_tools, by its exposed name).",
                "tool_choice.function.name");
        }
        if (tools.Count == 0)
        {
            return;
        }
        var declared = chatOptions.Tools?.ToList() ?? [];
        var taken = declared.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in tools.Values.Where(t => !taken.Contains(t.ExposedName)))
        {
            declared.Add(new McpToolFunction(tool, invoker, context, logger));
        }
        chatOptions.Tools = declared;
    }

    public async Task<Dictionary<string, McpTool>> SelectAsync(
        IReadOnlyList<JsonElement> extensionTools, IEnumerable<ChatMessage> messages, string? requiredName, CancellationToken cancellationToken)
    {
        var selected = new Dictionary<string, McpTool>(StringComparer.Ordinal);
        var snapshot = catalog.Current;
        for (var i = 0; i < extensionTools.Count; i++)
        {
            var entry = extensionTools[i];
            if (!entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "mcp")
            {
                continue;
            }
            var param = $"tools[{i}]";
            if (!entry.TryGetProperty("server_label", out var labelElement) || labelElement.ValueKind != JsonValueKind.String)
            {
                throw ChatGatewayException.BadRequest($"'{param}.server_label' is required for an mcp tool.", $"{param}.server_label", "missing_required_parameter");
            }
            var label = labelElement.GetString()!;
            if (!snapshot.Servers.ContainsKey(label))
            {
                throw new ChatGatewayException(StatusCodes.Status400BadRequest,
                    $"'{param}.server_label' names the MCP server '{label}', which is not configured. Configured: {string.Join(", ", snapshot.Servers.Keys)}.",
                    $"{param}.server_label", "unknown_mcp_server");
            }

            if (entry.TryGetProperty("allowed_tools", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
            {
                foreach (var nameElement in allowed.EnumerateArray())
                {
                    var name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : "";
                    var tool = snapshot.Find(name) is { } exposed && exposed.ServerLabel == label
                        ? exposed
                        : snapshot.Tools.FirstOrDefault(t => t.ServerLabel == label && t.Name == name)
                          ?? throw new ChatGatewayException(StatusCodes.Status400BadRequest,
                              $"'{param}.allowed_tools' names '{name}', which MCP server '{label}' does not offer.", $"{param}.allowed_tools", "unknown_mcp_tool");
                    selected[tool.ExposedName] = tool;
                }
            }
            else
            {
                var query = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
                var hits = await search.SearchAsync(query, options.Value.AutoSelectTopK, t => t.ServerLabel == label && t.Available, cancellationToken);
                foreach (var hit in hits)
                {
                    selected[hit.Tool.ExposedName] = hit.Tool;
                }
                if (requiredName is not null && snapshot.Find(requiredName) is { ServerLabel: var server, Available: true } required && server == label)
                {
                    selected[required.ExposedName] = required;
                }
            }
        }
        return selected;
    }
}
