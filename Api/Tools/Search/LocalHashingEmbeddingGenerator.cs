using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Platform.Api.Tools.Search;

/// <summary>
/// A deterministic embedding that needs no model, so tool search works offline: signed feature hashing
/// of word unigrams, word bigrams and character 3-grams into a fixed number of dimensions, L2-normalized.
/// It captures lexical overlap (including partial words), not meaning; configure an embeddings endpoint
/// for semantic search.
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

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)) { ModelId = ModelId }));
        return Task.FromResult(embeddings);
    }

    public float[] Embed(string text)
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
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    private void Add(float[] vector, ReadOnlySpan<char> feature, float weight)
    {
        var hash = TextTerms.Hash(feature);
        var index = (int)(hash % (uint)dimensions);
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
