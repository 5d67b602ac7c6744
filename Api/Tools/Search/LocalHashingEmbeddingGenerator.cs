using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Platform.Api.Providers.Offline;

namespace Platform.Api.Tools.Search;

/// <summary>
/// A deterministic embedding that needs no model, so tool search works offline: signed feature hashing
/// of word unigrams, word bigrams and character 3-grams into a fixed number of dimensions, L2-normalized.
/// It captures lexical overlap (including partial words), not meaning; name a provider's embedding model
/// in <c>Mcp:Embeddings:Model</c> for semantic search. It is also the offline provider's embedding model
/// (<c>POST /v1/embeddings</c>).
/// </summary>
public sealed class LocalHashingEmbeddingGenerator(int dimensions = LocalHashingEmbeddingGenerator.DefaultDimensions)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int DefaultDimensions = 256;
    public const string ModelName = "local-hash-v1";

    private const float UnigramWeight = 1.0f;
    private const float BigramWeight = 0.5f;
    private const float TrigramWeight = 0.25f;

    private readonly EmbeddingGeneratorMetadata _metadata = new("local-hash", null, $"{ModelName}-{dimensions}", dimensions);

    public string ModelId => $"{ModelName}-{dimensions}";

    /// <summary>
    /// <see cref="EmbeddingGenerationOptions.Dimensions"/> picks another size (feature hashing works for
    /// any); usage is estimated as the offline chat model does, since no tokenizer runs.
    /// </summary>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var size = options?.Dimensions is { } requested and > 0 ? requested : dimensions;
        var modelId = size == dimensions ? ModelId : $"{ModelName}-{size}";
        var tokens = 0L;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            tokens += OfflineTokenEstimator.Count(value);
            embeddings.Add(new Embedding<float>(Embed(value, size)) { ModelId = modelId });
        }
        embeddings.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return Task.FromResult(embeddings);
    }

    public float[] Embed(string text) => Embed(text, dimensions);

    private static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        var terms = TextTerms.Split(text);
        for (var i = 0; i < terms.Count; i++)
        {
            Add(vector, terms[i], UnigramWeight);
            if (i + 1 < terms.Count)
            {
                Add(vector, terms[i] + " " + terms[i + 1], BigramWeight);
            }
            var padded = $"^{terms[i]}$";
            for (var j = 0; j + 3 <= padded.Length; j++)
            {
                Add(vector, padded.AsSpan(j, 3), TrigramWeight);
            }
        }
        if (terms.Count == 0 && !string.IsNullOrWhiteSpace(text))
        {
            // No words (only punctuation or symbols): the text itself is the one feature, so the vector is never zero.
            Add(vector, text.Trim(), UnigramWeight);
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    private static void Add(float[] vector, ReadOnlySpan<char> feature, float weight)
    {
        var hash = TextTerms.Hash(feature);
        var index = (int)(hash % (uint)vector.Length);
        // The sign bit comes from another part of the hash so that collisions cancel out on average.
        vector[index] += (hash & 0x80000000) == 0 ? weight : -weight;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
