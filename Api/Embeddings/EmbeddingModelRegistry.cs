using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Platform.Api.Providers;

namespace Platform.Api.Embeddings;

/// <summary>Where an embedding model name leads: the provider, the model id it expects, and its generator.</summary>
public sealed record EmbeddingRoute(string ProviderName, string ProviderType, string ModelId, IEmbeddingGenerator<string, Embedding<float>> Generator);

/// <summary>
/// Embedding model name → <see cref="EmbeddingRoute"/>, built once at start-up like the chat models'
/// <see cref="ProviderRegistry"/>: model ids, aliases, and either as <c>provider/model</c>.
/// </summary>
public sealed class EmbeddingModelRegistry(IReadOnlyDictionary<string, EmbeddingRoute> routes, IReadOnlyList<PublishedModel> published)
{
    private readonly FrozenDictionary<string, EmbeddingRoute> _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The names <c>GET /v1/models</c> lists for embeddings.</summary>
    public IReadOnlyList<PublishedModel> PublishedModels { get; } = published;

    public bool TryResolve(string model, [MaybeNullWhen(false)] out EmbeddingRoute route) => _routes.TryGetValue(model, out route);
}
