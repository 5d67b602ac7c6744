using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Platform.Api.Chat.Wire;
using Platform.Api.Infrastructure;

namespace Platform.Api.Chat;

/// <summary><c>tools</c> and <c>tool_choice</c> ↔ <see cref="ChatOptions.Tools"/> and <see cref="ChatToolMode"/>.</summary>
public static partial class ChatToolMapper
{
    /// <summary>Tool types handled by other features (kept raw in the request context).</summary>
    public static readonly IReadOnlySet<string> ExtensionToolTypes = new HashSet<string>(["mcp"], StringComparer.Ordinal);

    private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>Adds the function tools to <paramref name="options"/> and returns the others.</summary>
    public static IReadOnlyList<JsonElement> ReadTools(List<JsonElement>? tools, ChatOptions options)
    {
        if (tools is not { Count: > 0 })
        {
            return [];
        }
        var extension = new List<JsonElement>();
        var functions = new List<AITool>();
        for (var i = 0; i < tools.Count; i++)
        {
            var param = $"tools[{i}]";
            if (tools[i].ValueKind != JsonValueKind.Object)
            {
                throw ChatGatewayException.BadRequest($"'{param}' must be an object.", param, "invalid_type");
            }
            var tool = JsonRequestReader.DeserializeElement(tools[i], ChatWireJsonContext.Default.WireTool, param);
            if (tool.Type is { } type && ExtensionToolTypes.Contains(type))
            {
                extension.Add(tools[i].Clone());
                continue;
            }
            if (tool.Type != "function")
            {
                throw ChatGatewayException.BadRequest($"'{param}.type' is '{tool.Type}'; expected function or mcp.", $"{param}.type");
            }
            if (tool.Function?.Name is not { } name || !ToolName().IsMatch(name))
            {
                throw ChatGatewayException.BadRequest(
                    $"'{param}.function.name' is required and must match ^[a-zA-Z0-9_-]{{1,64}}$.", $"{param}.function.name");
            }
            var schema = tool.Function.Parameters switch
            {
                null or { ValueKind: JsonValueKind.Null } => EmptyObjectSchema,
                { ValueKind: JsonValueKind.Object } parameters => parameters.Clone(),
                _ => throw ChatGatewayException.BadRequest($"'{param}.function.parameters' must be a JSON schema object.", $"{param}.function.parameters", "invalid_type"),
            };
            functions.Add(AIFunctionFactory.CreateDeclaration(name, tool.Function.Description, schema));
        }
        options.Tools = functions.Count > 0 ? functions : null;
        return extension;
    }

    public static ChatToolMode? ReadToolChoice(JsonElement? choice, ChatOptions options, bool hasExtensionTools)
    {
        var hasTools = options.Tools is { Count: > 0 } || hasExtensionTools;
        switch (choice)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString() switch
                {
                    "auto" => ChatToolMode.Auto,
                    "none" => ChatToolMode.None,
                    "required" when hasTools => ChatToolMode.RequireAny,
                    "required" => throw ChatGatewayException.BadRequest("tool_choice 'required' needs at least one tool in 'tools'.", "tool_choice"),
                    var other => throw ChatGatewayException.BadRequest($"'tool_choice' is '{other}'; expected auto, none, required or a function.", "tool_choice"),
                };
            case { ValueKind: JsonValueKind.Object } specific
                when specific.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                    && function.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String:
                var name = nameElement.GetString()!;
                // An MCP tool is only known once the MCP middleware selects the request's tools; it checks the name then.
                if (options.Tools?.Any(t => t.Name == name) != true && !hasExtensionTools)
                {
                    throw ChatGatewayException.BadRequest($"tool_choice names the function '{name}', which is not in 'tools'.", "tool_choice.function.name");
                }
                return ChatToolMode.RequireSpecific(name);
            default:
                throw ChatGatewayException.BadRequest("'tool_choice' must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice", "invalid_type");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
