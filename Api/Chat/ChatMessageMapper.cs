using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Chat.Wire;
using Platform.Api.Infrastructure;
using Platform.Api.Pipeline;

namespace Platform.Api.Chat;

/// <summary>One wire message ↔ one <see cref="ChatMessage"/>.</summary>
public static class ChatMessageMapper
{
    public static readonly ChatRole Developer = new("developer");

    public static ChatMessage ToChatMessage(WireMessage message, string param)
    {
        var role = message.Role switch
        {
            "system" => ChatRole.System,
            "developer" => Developer,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "tool" => ChatRole.Tool,
            null => throw ChatGatewayException.BadRequest($"'{param}.role' is required.", $"{param}.role", "missing_required_parameter"),
            var other => throw ChatGatewayException.BadRequest(
                $"'{param}.role' is '{other}'; expected system, developer, user, assistant or tool.", $"{param}.role"),
        };

        var contents = new List<AIContent>();
        if (role == ChatRole.Tool)
        {
            if (string.IsNullOrEmpty(message.ToolCallId))
            {
                throw ChatGatewayException.BadRequest($"'{param}.tool_call_id' is required for tool messages.", $"{param}.tool_call_id", "missing_required_parameter");
            }
            contents.Add(new FunctionResultContent(message.ToolCallId, ReadText(message.Content, $"{param}.content")));
            return new ChatMessage(role, contents);
        }

        ReadContent(message.Content, $"{param}.content", contents, allowImages: role == ChatRole.User);
        if (role == ChatRole.Assistant)
        {
            for (var i = 0; i < (message.ToolCalls?.Count ?? 0); i++)
            {
                var call = message.ToolCalls![i]
                    ?? throw ChatGatewayException.BadRequest($"'{param}.tool_calls[{i}]' must be a tool call object, not null.", $"{param}.tool_calls[{i}]", "invalid_type");
                if (call.Id is not { Length: > 0 } id || call.Function?.Name is not { Length: > 0 } name)
                {
                    throw ChatGatewayException.BadRequest($"'{param}.tool_calls[{i}]' needs an id and function.name.", $"{param}.tool_calls[{i}]", "missing_required_parameter");
                }
                // The arguments are JSON inside a string: their own escapes are checked like the body's.
                if (call.Function.Arguments is { } arguments && arguments.Contains("\\u", StringComparison.Ordinal)
                    && JsonText.FindLoneSurrogateEscape(Encoding.UTF8.GetBytes(arguments)) is not null)
                {
                    throw ChatGatewayException.BadRequest(
                        $"'{param}.tool_calls[{i}].function.arguments' has an escaped lone surrogate; JSON strings must be valid Unicode.",
                        $"{param}.tool_calls[{i}].function.arguments");
                }
                contents.Add(FunctionCallArguments.CreateCall(id, name, call.Function.Arguments));
            }
        }
        else if (contents.Count == 0 && role == ChatRole.User)
        {
            throw ChatGatewayException.BadRequest($"'{param}.content' is required for user messages.", $"{param}.content", "missing_required_parameter");
        }
        return new ChatMessage(role, contents) { AuthorName = message.Name };
    }

    private static void ReadContent(JsonElement? content, string param, List<AIContent> contents, bool allowImages)
    {
        switch (content)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return;
            case { ValueKind: JsonValueKind.String } text:
                contents.Add(new TextContent(text.GetString()));
                return;
            case { ValueKind: JsonValueKind.Array } parts:
                var i = 0;
                foreach (var element in parts.EnumerateArray())
                {
                    contents.Add(ReadPart(element, $"{param}[{i++}]", allowImages));
                }
                return;
            default:
                throw ChatGatewayException.BadRequest($"'{param}' must be a string or an array of content parts.", param, "invalid_type");
        }
    }

    private static AIContent ReadPart(JsonElement element, string param, bool allowImages)
    {
        var part = element.ValueKind == JsonValueKind.Object
            ? JsonRequestReader.DeserializeElement(element, ChatWireJsonContext.Default.WireContentPart, param)
            : throw ChatGatewayException.BadRequest($"'{param}' must be an object.", param, "invalid_type");
        switch (part.Type)
        {
            case "text" when part.Text is not null:
                return new TextContent(part.Text);
            case "image_url" when allowImages && part.ImageUrl?.Url is { Length: > 0 } url:
                AIContent image = url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                    ? new DataContent(url)
                    : Uri.TryCreate(url, UriKind.Absolute, out var uri)
                        ? new UriContent(uri, "image/*")
                        : throw ChatGatewayException.BadRequest($"'{param}.image_url.url' is not an absolute URL or data URI.", $"{param}.image_url.url");
                if (part.ImageUrl.Detail is { Length: > 0 } detail)
                {
                    image.AdditionalProperties = new() { [ChatOptionKeys.ImageDetail] = detail };
                }
                return image;
            default:
                throw ChatGatewayException.BadRequest(
                    $"'{param}' is not a supported content part (text{(allowImages ? ", image_url" : "")}).", $"{param}.type");
        }
    }

    private static string ReadText(JsonElement? content, string param)
    {
        var parts = new List<AIContent>();
        ReadContent(content, param, parts, allowImages: false);
        return string.Concat(parts.OfType<TextContent>().Select(t => t.Text));
    }
}
