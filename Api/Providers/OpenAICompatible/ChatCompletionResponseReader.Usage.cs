using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>The usage object, with the cached and reasoning token details when present.</summary>
internal static partial class ChatCompletionResponseReader
{
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
}
