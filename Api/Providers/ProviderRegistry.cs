using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Platform.Api.Providers;

/// <summary>
/// Model name → <see cref="ModelRoute"/>, built once at start-up. Accepts a model id, an alias, and
/// either in <c>provider/model</c> form; lookups by span neither scan nor allocate.
/// </summary>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<string, ModelRoute> _routes;
    private readonly FrozenDictionary<string, ModelRoute>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public ProviderRegistry(IReadOnlyDictionary<string, ModelRoute> routes, IReadOnlyList<PublishedModel> published)
    {
        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _routes.GetAlternateLookup<ReadOnlySpan<char>>();
        PublishedModels = published;
    }

    /// <summary>The names <c>GET /v1/models</c> lists: every model id and alias, without the provider prefix.</summary>
    public IReadOnlyList<PublishedModel> PublishedModels { get; }

    public bool TryResolve(ReadOnlySpan<char> model, [MaybeNullWhen(false)] out ModelRoute route) =>
        _bySpan.TryGetValue(model, out route);

    public bool TryResolve(string model, [MaybeNullWhen(false)] out ModelRoute route) =>
        _routes.TryGetValue(model, out route);
}

public sealed record PublishedModel(string Id, string ProviderName);
