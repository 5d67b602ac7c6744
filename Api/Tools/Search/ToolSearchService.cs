using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Api.Tools.Catalog;

namespace Platform.Api.Tools.Search;

/// <summary>Searches the current catalog snapshot; query embeddings are cached (bounded) so repeated queries skip the generator.</summary>
public sealed class ToolSearchService : IDisposable
{
    private readonly ToolCatalog _catalog;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly MemoryCache _queryEmbeddings;

    public ToolSearchService(ToolCatalog catalog, IEmbeddingGenerator<string, Embedding<float>> generator, IOptions<McpOptions> options)
    {
        _catalog = catalog;
        _generator = generator;
        _queryEmbeddings = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(16, options.Value.Embeddings.QueryCacheSize) });
    }

    public async ValueTask<ToolSearchHit[]> SearchAsync(string query, int k, Func<McpTool, bool>? filter = null, CancellationToken cancellationToken = default)
    {
        var snapshot = _catalog.Current;
        var embedding = await EmbedQueryAsync(query, snapshot.SearchIndex.EmbeddingModel, cancellationToken);
        return snapshot.SearchIndex.Search(embedding, TextTerms.Keywords(query), k, filter);
    }

    private async ValueTask<float[]> EmbedQueryAsync(string query, string? model, CancellationToken cancellationToken)
    {
        if (model is null)
        {
            return [];
        }
        var key = (model, query);
        if (_queryEmbeddings.TryGetValue(key, out float[]? cached) && cached is not null)
        {
            return cached;
        }
        var generated = await _generator.GenerateAsync([query], cancellationToken: cancellationToken);
        var vector = generated[0].Vector.ToArray();
        _queryEmbeddings.Set(key, vector, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return vector;
    }

    public void Dispose() => _queryEmbeddings.Dispose();
}
