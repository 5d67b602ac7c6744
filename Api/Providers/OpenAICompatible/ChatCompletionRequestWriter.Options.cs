using System.Buffers;
using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>The request options: sampling, limits, response format, tools and tool choice.</summary>
internal static partial class ChatCompletionRequestWriter
{
    private static void WriteOptions(Utf8JsonWriter json, ChatOptions options)
    {
        WriteNumber(json, "temperature"u8, options.Temperature);
        WriteNumber(json, "top_p"u8, options.TopP);
        if (options.MaxOutputTokens is { } maxTokens)
        {
            json.WriteNumber("max_completion_tokens"u8, maxTokens);
        }
        WriteNumber(json, "frequency_penalty"u8, options.FrequencyPenalty);
        WriteNumber(json, "presence_penalty"u8, options.PresencePenalty);
        if (options.Seed is { } seed)
        {
            json.WriteNumber("seed"u8, seed);
        }
        if (options.StopSequences is { Count: > 0 } stops)
        {
            json.WriteStartArray("stop"u8);
            foreach (var stop in stops)
            {
                json.WriteStringValue(stop);
            }
            json.WriteEndArray();
        }
        if (options.AdditionalProperties?.TryGetValue(ChatOptionKeys.EndUserId, out var user) == true && user is string endUser)
        {
            json.WriteString("user"u8, endUser);
        }
        WriteResponseFormat(json, options);
        WriteTools(json, options);
    }

    private static void WriteResponseFormat(Utf8JsonWriter json, ChatOptions options)
    {
        switch (options.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema } format:
                json.WriteStartObject("response_format"u8);
                json.WriteString("type"u8, "json_schema"u8);
                json.WriteStartObject("json_schema"u8);
                json.WriteString("name"u8, format.SchemaName ?? "response");
                if (format.SchemaDescription is { } description)
                {
                    json.WriteString("description"u8, description);
                }
                json.WritePropertyName("schema"u8);
                schema.WriteTo(json);
                if (options.AdditionalProperties?.TryGetValue(ChatOptionKeys.StrictJsonSchema, out var strict) == true && strict is bool isStrict)
                {
                    json.WriteBoolean("strict"u8, isStrict);
                }
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            case ChatResponseFormatJson:
                json.WriteStartObject("response_format"u8);
                json.WriteString("type"u8, "json_object"u8);
                json.WriteEndObject();
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter json, ChatOptions options)
    {
        var any = false;
        foreach (var function in options.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            if (!any)
            {
                json.WriteStartArray("tools"u8);
                any = true;
            }
            json.WriteStartObject();
            json.WriteString("type"u8, "function"u8);
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description))
            {
                json.WriteString("description"u8, function.Description);
            }
            json.WritePropertyName("parameters"u8);
            function.JsonSchema.WriteTo(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (!any)
        {
            return;
        }
        json.WriteEndArray();
        if (options.AllowMultipleToolCalls is { } parallel)
        {
            json.WriteBoolean("parallel_tool_calls"u8, parallel);
        }
        switch (options.ToolMode)
        {
            case NoneChatToolMode:
                json.WriteString("tool_choice"u8, "none"u8);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                json.WriteStartObject("tool_choice"u8);
                json.WriteString("type"u8, "function"u8);
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, name);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            case RequiredChatToolMode:
                json.WriteString("tool_choice"u8, "required"u8);
                break;
            case AutoChatToolMode:
                json.WriteString("tool_choice"u8, "auto"u8);
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, ReadOnlySpan<byte> name, float? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }
}
