using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Api.Caching;

/// <summary>
/// Stores a <see cref="ChatResponse"/> with Microsoft.Extensions.AI's own JSON contract, so messages,
/// tool calls (<see cref="FunctionCallContent"/>) and <see cref="UsageDetails"/> survive the round trip.
/// </summary>
public sealed class ChatResponseCacheSerializer : IHybridCacheSerializer<ChatResponse>
{
    private static readonly JsonSerializerOptions Options = AIJsonUtilities.DefaultOptions;

    public ChatResponse Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        var response = (ChatResponse)JsonSerializer.Deserialize(ref reader, Options.GetTypeInfo(typeof(ChatResponse)))!;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                RestoreStrings(content.AdditionalProperties);
            }
        }
        return response;
    }

    public void Serialize(ChatResponse value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, Options.GetTypeInfo(typeof(ChatResponse)));
    }

    // Extra properties come back as JsonElement; the gateway reads some (e.g. a tool call's raw
    // arguments) as strings, so give strings back their original type.
    private static void RestoreStrings(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null)
        {
            return;
        }
        foreach (var (name, value) in properties.ToArray())
        {
            if (value is JsonElement { ValueKind: JsonValueKind.String } element)
            {
                properties[name] = element.GetString();
            }
        }
    }
}
