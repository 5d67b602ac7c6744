using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>The message content and tool calls of a choice (whole or as stream deltas).</summary>
internal static partial class ChatCompletionResponseReader
{
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
}
