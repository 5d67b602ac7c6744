using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Api.Chat.Wire;

/// <summary>Source-generated (de)serialization of the OpenAI wire types: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(WireContentPart))]
[JsonSerializable(typeof(WireTool))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(OpenAIErrorEnvelope))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ChatWireJsonContext : JsonSerializerContext;
