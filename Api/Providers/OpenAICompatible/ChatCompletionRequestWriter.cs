using System.Buffers;
using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>
/// Microsoft.Extensions.AI request → the chat-completions JSON body, written directly. Building the
/// SDK's object model first and letting it serialize itself cost ~10 KB and tens of microseconds a call.
/// The body is what the SDK sends for the same request (<c>max_completion_tokens</c>, a lone text part as
/// a plain string, <c>stream_options.include_usage</c> on streams).
/// </summary>
internal static partial class ChatCompletionRequestWriter
{
    public static readonly ChatRole Developer = new("developer");

    public static BinaryContent Write(string model, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            json.WriteStartObject();
            json.WriteString("model"u8, model);
            json.WritePropertyName("messages"u8);
            WriteMessages(json, messages);
            if (stream)
            {
                json.WriteBoolean("stream"u8, true);
                json.WriteStartObject("stream_options"u8);
                json.WriteBoolean("include_usage"u8, true);
                json.WriteEndObject();
            }
            if (options is not null)
            {
                WriteOptions(json, options);
            }
            json.WriteEndObject();
        }
        return BinaryContent.Create(new BinaryData(buffer.WrittenMemory));
    }

    private static void WriteMessages(Utf8JsonWriter json, IEnumerable<ChatMessage> messages)
    {
        json.WriteStartArray();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.Tool)
            {
                foreach (var result in message.Contents.OfType<FunctionResultContent>())
                {
                    json.WriteStartObject();
                    json.WriteString("role"u8, "tool"u8);
                    json.WriteString("tool_call_id"u8, result.CallId);
                    json.WriteString("content"u8, FunctionCallArguments.ResultToText(result.Result));
                    json.WriteEndObject();
                }
                continue;
            }

            json.WriteStartObject();
            if (message.Role == ChatRole.System || message.Role == Developer)
            {
                json.WriteString("role"u8, message.Role.Value);
                json.WriteString("content"u8, message.Text);
            }
            else if (message.Role == ChatRole.Assistant)
            {
                WriteAssistant(json, message);
            }
            else
            {
                json.WriteString("role"u8, "user"u8);
                WriteUserContent(json, message.Contents);
                WriteName(json, message);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteAssistant(Utf8JsonWriter json, ChatMessage message)
    {
        json.WriteString("role"u8, "assistant"u8);
        var text = message.Text;
        var hasCalls = false;
        foreach (var call in message.Contents.OfType<FunctionCallContent>())
        {
            if (!hasCalls)
            {
                json.WriteStartArray("tool_calls"u8);
                hasCalls = true;
            }
            json.WriteStartObject();
            json.WriteString("id"u8, call.CallId);
            json.WriteString("type"u8, "function"u8);
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, call.Name);
            json.WriteString("arguments"u8, FunctionCallArguments.ToJson(call));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (hasCalls)
        {
            json.WriteEndArray();
        }
        // A tool-calling turn may have no text; other turns always carry a content string.
        if (!hasCalls || !string.IsNullOrEmpty(text))
        {
            json.WriteString("content"u8, text);
        }
        WriteName(json, message);
    }

    private static void WriteUserContent(Utf8JsonWriter json, IList<AIContent> contents)
    {
        if (contents is [TextContent only])
        {
            json.WriteString("content"u8, only.Text);
            return;
        }
        json.WriteStartArray("content"u8);
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    json.WriteStartObject();
                    json.WriteString("type"u8, "text"u8);
                    json.WriteString("text"u8, text.Text);
                    json.WriteEndObject();
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    WriteImagePart(json, data.Uri, content);
                    break;
                case UriContent uri:
                    WriteImagePart(json, uri.Uri.ToString(), content);
                    break;
            }
        }
        json.WriteEndArray();
    }

    private static void WriteImagePart(Utf8JsonWriter json, string url, AIContent content)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "image_url"u8);
        json.WriteStartObject("image_url"u8);
        json.WriteString("url"u8, url);
        if (content.AdditionalProperties?.TryGetValue(ChatOptionKeys.ImageDetail, out var detail) == true && detail is string { Length: > 0 } level)
        {
            json.WriteString("detail"u8, level);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteName(Utf8JsonWriter json, ChatMessage message)
    {
        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            json.WriteString("name"u8, message.AuthorName);
        }
    }
}
