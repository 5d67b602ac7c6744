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
internal static partial class ChatCompletionResponseReader
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
}
