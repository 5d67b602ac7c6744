using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>Reader helpers and the state one pass collects.</summary>
internal static partial class ChatCompletionResponseReader
{
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
