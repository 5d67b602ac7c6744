using Microsoft.Extensions.AI;

namespace Platform.Api.Tools.Search;

/// <summary>
/// Sends at most <paramref name="batchSize"/> texts per call: indexing a large catalog would otherwise
/// be one request over the provider's input limit (2048 for OpenAI).
/// </summary>
public sealed class BatchingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, int batchSize)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly int _batchSize = Math.Max(1, batchSize);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in values.Chunk(_batchSize))
        {
            var generated = await base.GenerateAsync(batch, options, cancellationToken);
            result.AddRange(generated);
            if (generated.Usage is { } usage)
            {
                (result.Usage ??= new UsageDetails()).Add(usage);
            }
        }
        return result;
    }
}
