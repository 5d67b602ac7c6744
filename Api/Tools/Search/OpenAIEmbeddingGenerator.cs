using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;

namespace Platform.Api.Tools.Search;

/// <summary>An OpenAI-compatible embeddings endpoint behind <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>, in batches.</summary>
public sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingClient _client;
    private readonly int _batchSize;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public OpenAIEmbeddingGenerator(McpEmbeddingOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        var endpoint = new Uri(options.Endpoint);
        _client = new EmbeddingClient(
            options.Model,
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey),
            new OpenAIClientOptions { Endpoint = endpoint });
        _batchSize = Math.Max(1, options.BatchSize);
        _metadata = new EmbeddingGeneratorMetadata("openai", endpoint, options.Model);
    }

    public string ModelId => _metadata.DefaultModelId!;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in values.Chunk(_batchSize))
        {
            var response = await _client.GenerateEmbeddingsAsync(batch, cancellationToken: cancellationToken);
            foreach (var embedding in response.Value.OrderBy(e => e.Index))
            {
                result.Add(new Embedding<float>(embedding.ToFloats()) { ModelId = ModelId });
            }
        }
        return result;
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
