using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Caching;

/// <summary>
/// The response-cache key: SHA-256 over a canonical JSON rendering of everything that changes the
/// answer. The tenant is part of the hash, so an answer is never served to another tenant.
/// </summary>
public static class ResponseCacheKey
{
    private const string Version = "chat:v1:";

    public static string Compute(ChatRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", context.TenantId);
            writer.WriteString("provider", context.ProviderName);
            writer.WriteString("model", context.ModelId);
            writer.WritePropertyName("messages");
            JsonSerializer.Serialize(writer, messages as IList<ChatMessage> ?? messages.ToList(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IList<ChatMessage>)));
            WriteOptions(writer, options);
            writer.WriteStartArray("extension_tools");
            foreach (var tool in context.ExtensionTools)
            {
                tool.WriteTo(writer);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Version + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options is null)
        {
            return;
        }
        WriteNumber(writer, "temperature", options.Temperature);
        WriteNumber(writer, "top_p", options.TopP);
        WriteNumber(writer, "top_k", options.TopK);
        WriteNumber(writer, "max_tokens", options.MaxOutputTokens);
        WriteNumber(writer, "seed", options.Seed);
        WriteNumber(writer, "frequency_penalty", options.FrequencyPenalty);
        WriteNumber(writer, "presence_penalty", options.PresencePenalty);
        if (options.Instructions is { } instructions)
        {
            writer.WriteString("instructions", instructions);
        }
        if (options.StopSequences is { Count: > 0 } stops)
        {
            writer.WriteStartArray("stop");
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }
            writer.WriteEndArray();
        }
        WriteResponseFormat(writer, options.ResponseFormat);
        WriteToolMode(writer, options.ToolMode);
        if (options.AllowMultipleToolCalls is { } parallel)
        {
            writer.WriteBoolean("parallel_tool_calls", parallel);
        }
        if (options.AdditionalProperties is { Count: > 0 } additional)
        {
            // Pass-through parameters (logit_bias, reasoning_effort, ...) change the answer too; sorted, so order does not matter.
            writer.WriteStartObject("additional");
            foreach (var (name, value) in additional.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                switch (value)
                {
                    case JsonElement json:
                        json.WriteTo(writer);
                        break;
                    case null:
                        writer.WriteNullValue();
                        break;
                    default:
                        JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                        break;
                }
            }
            writer.WriteEndObject();
        }
        if (options.Tools is { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("type", tool.GetType().Name);
                writer.WriteString("name", tool.Name);
                writer.WriteString("description", tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    writer.WritePropertyName("schema");
                    function.JsonSchema.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat? format)
    {
        switch (format)
        {
            case null:
                break;
            case ChatResponseFormatJson json:
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json");
                writer.WriteString("name", json.SchemaName);
                writer.WriteString("description", json.SchemaDescription);
                if (json.Schema is { } schema)
                {
                    writer.WritePropertyName("schema");
                    schema.WriteTo(writer);
                }
                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("response_format", format.GetType().Name);
                break;
        }
    }

    private static void WriteToolMode(Utf8JsonWriter writer, ChatToolMode? mode)
    {
        var text = mode switch
        {
            null => null,
            NoneChatToolMode => "none",
            AutoChatToolMode => "auto",
            RequiredChatToolMode { RequiredFunctionName: { } name } => "function:" + name,
            RequiredChatToolMode => "required",
            _ => mode.GetType().Name,
        };
        if (text is not null)
        {
            writer.WriteString("tool_choice", text);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
