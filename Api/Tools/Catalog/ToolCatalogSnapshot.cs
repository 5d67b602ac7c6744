using System.Collections.Frozen;
using Platform.Api.Tools.Search;

namespace Platform.Api.Tools.Catalog;

/// <summary>
/// An immutable view of every tool of every server. The catalog replaces it as a whole, so readers
/// never see a half-updated catalog and never take a lock; lookup by name is a frozen-dictionary hit.
/// </summary>
public sealed class ToolCatalogSnapshot
{
    public static readonly ToolCatalogSnapshot Empty = new([], new Dictionary<string, McpServerState>(), 0, null, 0);

    private readonly FrozenDictionary<string, McpTool>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;

    public ToolCatalogSnapshot(
        IEnumerable<McpTool> tools, IReadOnlyDictionary<string, McpServerState> servers, int dimensions, string? embeddingModel, long version)
    {
        Tools = tools.OrderBy(t => t.ExposedName, StringComparer.Ordinal).ToArray();
        ByName = Tools.ToFrozenDictionary(t => t.ExposedName, StringComparer.Ordinal);
        _spanLookup = ByName.GetAlternateLookup<ReadOnlySpan<char>>();
        Servers = servers.ToFrozenDictionary(StringComparer.Ordinal);
        SearchIndex = new ToolSearchIndex(Tools, dimensions, embeddingModel);
        Version = version;
    }

    /// <summary>All tools, ordered by exposed name (ordinal), which is the paging order of <c>GET /v1/tools</c>.</summary>
    public IReadOnlyList<McpTool> Tools { get; }

    public FrozenDictionary<string, McpTool> ByName { get; }

    public FrozenDictionary<string, McpServerState> Servers { get; }

    public ToolSearchIndex SearchIndex { get; }

    /// <summary>Grows by one with every swap.</summary>
    public long Version { get; }

    public bool TryGetTool(ReadOnlySpan<char> exposedName, out McpTool tool) =>
        _spanLookup.TryGetValue(exposedName, out tool!);

    public McpTool? Find(string exposedName) => ByName.GetValueOrDefault(exposedName);
}
