using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>
/// A chat-completions answer (JSON) or stream chunk → Microsoft.Extensions.AI types, read with one
/// <see cref="Utf8JsonReader"/> pass over the bytes: no SDK model objects in between. Members the gateway
/// does not use are skipped; only the first choice is read (the gateway never asks for <c>n</c> &gt; 1).
/// </summary>
internal static class ChatCompletionResponseReader
{
    public static ChatResponse ReadCompletion(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var envelope = new Envelope();
        var choice = new Choice();
        ReadEnvelope(ref reader, envelope, choice, "message"u8);
        var contents = new List<AIContent>(choice.Texts.Count + choice.Calls.Count);
        foreach (var text in choice.Texts)
        {
            contents.Add(new TextContent(text));
        }
        foreach (var call in choice.Calls)
        {
            contents.Add(FunctionCallArguments.CreateCall(call.Id ?? "", call.Name ?? "", call.Arguments.ToString()));
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ResponseId = envelope.Id,
            ModelId = envelope.Model,
            CreatedAt = envelope.Created,
            FinishReason = ToFinishReason(choice.FinishReason),
            Usage = envelope.Usage,
        };
    }

    /// <summary>One <c>chat.completion.chunk</c>; null when it carries nothing the pipeline needs.</summary>
    public static ChatResponseUpdate? ReadChunk(ReadOnlySpan<byte> utf8, StreamingToolCallAssembler assembler)
    {
        var reader = new Utf8JsonReader(utf8);
        var envelope = new Envelope();
        var choice = new Choice();
        ReadEnvelope(ref reader, envelope, choice, "delta"u8);

        var contents = new List<AIContent>();
        foreach (var text in choice.Texts)
        {
            if (text.Length > 0)
            {
                contents.Add(new TextContent(text));
            }
        }
        foreach (var call in choice.Calls)
        {
            assembler.Add(call.Index, call.Id, call.Name, call.Arguments.ToString());
        }
        ChatFinishReason? finish = choice.FinishReason is null ? null : ToFinishReason(choice.FinishReason);
        if (finish is not null)
        {
            contents.AddRange(assembler.TakeCompletedCalls());
        }
        if (envelope.Usage is { } usage)
        {
            contents.Add(new UsageContent(usage));
        }
        if (contents.Count == 0 && finish is null && !choice.HasRole)
        {
            return null;
        }
        return new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = envelope.Id,
            ModelId = envelope.Model,
            CreatedAt = envelope.Created,
            FinishReason = finish,
        };
    }

    public static ChatFinishReason ToFinishReason(string? reason) => reason switch
    {
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => ChatFinishReason.Stop,
    };

    private static void ReadEnvelope(ref Utf8JsonReader reader, Envelope envelope, Choice choice, ReadOnlySpan<byte> messageName)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8))
            {
                envelope.Id = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                envelope.Model = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                envelope.Created = reader.TokenType == JsonTokenType.Number ? DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64()) : null;
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                ReadChoices(ref reader, choice, messageName);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                envelope.Usage = ReadUsage(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadChoices(ref Utf8JsonReader reader, Choice choice, ReadOnlySpan<byte> messageName)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            first = false;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals(messageName))
                {
                    ReadMessage(ref reader, choice);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    choice.FinishReason = ReadString(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, Choice choice)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("role"u8))
            {
                choice.HasRole = ReadString(ref reader) is not null;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                ReadContent(ref reader, choice);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                // A refusal is the answer's text: the caller sees why there is no other content.
                if (ReadString(ref reader) is { Length: > 0 } refusal)
                {
                    choice.Texts.Add(refusal);
                }
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                ReadToolCalls(ref reader, choice);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadContent(ref Utf8JsonReader reader, Choice choice)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                choice.Texts.Add(reader.GetString()!);
                break;
            case JsonTokenType.StartArray:
                // Some compatible servers answer with content parts.
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    using var part = JsonDocument.ParseValue(ref reader);
                    if (part.RootElement.ValueKind == JsonValueKind.Object
                        && part.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        choice.Texts.Add(text.GetString()!);
                    }
                }
                break;
            default:
                reader.Skip();
                break;
        }
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, Choice choice)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var call = new ToolCall { Index = choice.Calls.Count };
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    call.Index = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : call.Index;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    call.Id = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (NextProperty(ref reader))
                    {
                        if (reader.ValueTextEquals("name"u8))
                        {
                            call.Name = ReadString(ref reader);
                        }
                        else if (reader.ValueTextEquals("arguments"u8))
                        {
                            call.Arguments.Append(ReadString(ref reader));
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            choice.Calls.Add(call);
        }
    }

    private static UsageDetails? ReadUsage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        var usage = new UsageDetails();
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                usage.InputTokenCount = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                usage.OutputTokenCount = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                usage.TotalTokenCount = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                usage.CachedInputTokenCount = ReadNestedInt64(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                usage.ReasoningTokenCount = ReadNestedInt64(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return usage;
    }

    private static long? ReadNestedInt64(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        long? value = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(name))
            {
                value = ReadInt64(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return value;
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        reader.Skip();
        return null;
    }

    private static long? ReadInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt64();
        }
        reader.Skip();
        return null;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} but found {reader.TokenType}.");
        }
    }

    private sealed class Envelope
    {
        public string? Id;
        public string? Model;
        public DateTimeOffset? Created;
        public UsageDetails? Usage;
    }

    private sealed class Choice
    {
        public readonly List<string> Texts = [];
        public readonly List<ToolCall> Calls = [];
        public string? FinishReason;
        public bool HasRole;
    }

    private sealed class ToolCall
    {
        public int Index;
        public string? Id;
        public string? Name;
        public readonly StringBuilder Arguments = new();
    }
}
