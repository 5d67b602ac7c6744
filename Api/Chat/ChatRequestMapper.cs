using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Chat.Wire;
using Platform.Api.Pipeline;

namespace Platform.Api.Chat;

/// <summary>OpenAI wire request → Microsoft.Extensions.AI messages and options, validating as it goes.</summary>
public static class ChatRequestMapper
{
    public static ParsedChatRequest Map(ChatCompletionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw ChatGatewayException.BadRequest("'model' is required.", "model", "missing_required_parameter");
        }
        if (request.Messages is not { Count: > 0 } wireMessages)
        {
            throw ChatGatewayException.BadRequest("'messages' is required and must contain at least one message.", "messages", "missing_required_parameter");
        }
        if (request.N is { } n && n != 1)
        {
            throw ChatGatewayException.BadRequest("Only n=1 is supported.", "n", "unsupported_value");
        }
        if (request.Logprobs == true)
        {
            throw ChatGatewayException.BadRequest("logprobs are not supported by this gateway.", "logprobs", "unsupported_value");
        }
        CheckRange(request.Temperature, 0, 2, "temperature");
        CheckRange(request.TopP, 0, 1, "top_p");
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        if (maxTokens is <= 0)
        {
            throw ChatGatewayException.BadRequest("The maximum number of tokens must be positive.",
                request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens");
        }

        var messages = new List<ChatMessage>(wireMessages.Count);
        for (var i = 0; i < wireMessages.Count; i++)
        {
            var message = wireMessages[i]
                ?? throw ChatGatewayException.BadRequest($"'messages[{i}]' must be a message object, not null.", $"messages[{i}]", "invalid_type");
            messages.Add(ChatMessageMapper.ToChatMessage(message, $"messages[{i}]"));
        }

        var options = new ChatOptions
        {
            ModelId = request.Model,
            Temperature = request.Temperature,
            TopP = request.TopP,
            FrequencyPenalty = request.FrequencyPenalty,
            PresencePenalty = request.PresencePenalty,
            MaxOutputTokens = maxTokens,
            Seed = request.Seed,
            StopSequences = ReadStop(request.Stop),
            ResponseFormat = ReadResponseFormat(request.ResponseFormat, out var strictSchema),
            AllowMultipleToolCalls = request.ParallelToolCalls,
        };
        // Fields the gateway does not interpret travel as their JSON, under their wire names: the OpenAI
        // provider forwards additional properties that hold JSON as they are, and the cache key counts them.
        if (request.User is { Length: > 0 } || strictSchema is not null || request.ParallelToolCalls is not null || request.AdditionalFields is { Count: > 0 })
        {
            options.AdditionalProperties = [];
            if (request.User is { Length: > 0 } user) options.AdditionalProperties[ChatOptionKeys.EndUserId] = JsonSerializer.SerializeToElement(user, ChatWireJsonContext.Default.String);
            // Also without tools, where the typed option is not sent: the provider answers for it.
            if (request.ParallelToolCalls is { } parallel) options.AdditionalProperties[ChatOptionKeys.ParallelToolCalls] = JsonSerializer.SerializeToElement(parallel, ChatWireJsonContext.Default.Boolean);
            if (strictSchema is { } strict) options.AdditionalProperties[ChatOptionKeys.StrictJsonSchema] = strict;
            foreach (var (name, value) in request.AdditionalFields ?? [])
            {
                options.AdditionalProperties[name] = value;
            }
        }

        var extensionTools = ChatToolMapper.ReadTools(request.Tools, options);
        options.ToolMode = ChatToolMapper.ReadToolChoice(request.ToolChoice, options, extensionTools.Count > 0);

        var stream = request.Stream == true;
        return new ParsedChatRequest(request.Model, messages, options, stream, stream && request.StreamOptions?.IncludeUsage == true, extensionTools);
    }

    private static void CheckRange(float? value, float min, float max, string param)
    {
        if (value is { } v && (v < min || v > max || float.IsNaN(v)))
        {
            throw ChatGatewayException.BadRequest($"'{param}' must be between {min} and {max}.", param);
        }
    }

    private static List<string>? ReadStop(JsonElement? stop) => stop switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } single => [single.GetString()!],
        { ValueKind: JsonValueKind.Array } many when many.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) && many.GetArrayLength() <= 4 =>
            many.EnumerateArray().Select(s => s.GetString()!).ToList(),
        _ => throw ChatGatewayException.BadRequest("'stop' must be a string or an array of at most 4 strings.", "stop", "invalid_type"),
    };

    private static ChatResponseFormat? ReadResponseFormat(WireResponseFormat? format, out bool? strict)
    {
        strict = null;
        switch (format?.Type)
        {
            case null or "text":
                return null;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema" when format.JsonSchema is { Name: { Length: > 0 } name } schema:
                strict = schema.Strict;
                return schema.Schema is { ValueKind: JsonValueKind.Object } body
                    ? ChatResponseFormat.ForJsonSchema(body, name, schema.Description)
                    : throw ChatGatewayException.BadRequest("'response_format.json_schema.schema' must be a JSON schema object.", "response_format.json_schema.schema");
            case "json_schema":
                throw ChatGatewayException.BadRequest("'response_format.json_schema.name' is required.", "response_format.json_schema.name", "missing_required_parameter");
            default:
                throw ChatGatewayException.BadRequest($"Unknown response_format type '{format.Type}'; expected text, json_object or json_schema.", "response_format.type");
        }
    }
}
