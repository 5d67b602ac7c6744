using System.Text.Json.Serialization;

namespace Platform.Api.Embeddings.Wire;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EmbeddingRequest))]
public sealed partial class EmbeddingsJsonContext : JsonSerializerContext;
