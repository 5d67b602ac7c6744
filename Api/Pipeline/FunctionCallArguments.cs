using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Platform.Api.Pipeline;

/// <summary>
/// Tool-call arguments travel as JSON text on the wire and as a dictionary in Microsoft.Extensions.AI.
/// The text the model produced is kept alongside, so that a client tool call goes back to the
/// caller byte for byte, even when the model wrote something that is not a JSON object.
/// </summary>
public static class FunctionCallArguments
{
    public const string RawArgumentsKey = "platform.raw_arguments";

    public static FunctionCallContent CreateCall(string callId, string name, string? argumentsJson)
    {
        var json = string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson;
        Dictionary<string, object?>? arguments = null;
        Exception? error = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    arguments[property.Name] = property.Value.Clone();
                }
            }
        }
        catch (JsonException e)
        {
            error = e;
        }

        return new FunctionCallContent(callId, name, arguments)
        {
            Exception = error,
            AdditionalProperties = new AdditionalPropertiesDictionary { [RawArgumentsKey] = json },
        };
    }

    /// <summary>The JSON text of the call's arguments: what the model wrote, when known.</summary>
    public static string ToJson(FunctionCallContent call)
    {
        if (call.AdditionalProperties?.TryGetValue(RawArgumentsKey, out var raw) == true && raw is string text)
        {
            return text;
        }
        if (call.Arguments is null)
        {
            return "{}";
        }
        return JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
    }

    /// <summary>A tool result as the text OpenAI expects in a <c>tool</c> message.</summary>
    public static string ResultToText(object? result) => result switch
    {
        null => "",
        string text => text,
        JsonElement element when element.ValueKind == JsonValueKind.String => element.GetString() ?? "",
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };
}
