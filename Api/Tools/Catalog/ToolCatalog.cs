using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Platform.Api.Tools.Persistence;
using Platform.Api.Tools.Sessions;

namespace Platform.Api.Tools.Catalog;

/// <summary>
/// The indexed catalog of every configured server's tools. Servers are listed concurrently (all
/// pages); the result becomes a new <see cref="ToolCatalogSnapshot"/> swapped in atomically, then
/// persisted. A server that does not answer keeps its last tools, marked unavailable. Each server has
/// one listing session whose standalone stream delivers <c>notifications/tools/list_changed</c>.
/// </summary>
public sealed class ToolCatalog : IAsyncDisposable
{
    private readonly McpClientFactory _factory;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly ToolCatalogStore _store;
    private readonly McpOptions _options;
    private readonly McpMetrics _metrics;
    private readonly ILogger<ToolCatalog> _logger;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly ConcurrentDictionary<string, McpClient> _listingSessions = new(StringComparer.Ordinal);
    private readonly Channel<string> _changedServers = Channel.CreateUnbounded<string>();
    private readonly string _embeddingModel;
    private ToolCatalogSnapshot _current = ToolCatalogSnapshot.Empty;
    private string? _persistedFingerprint;

    public ToolCatalog(
        McpClientFactory factory,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        ToolCatalogStore store,
        IOptions<McpOptions> options,
        McpMetrics metrics,
        ILogger<ToolCatalog> logger)
    {
        _factory = factory;
        _embeddings = embeddings;
        _store = store;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _embeddingModel = embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? embeddings.GetType().Name;
    }

    public ToolCatalogSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised after every swap, with the new snapshot.</summary>
    public event Action<ToolCatalogSnapshot>? Changed;

    /// <summary>Labels of servers that sent list_changed; the refresher drains it.</summary>
    public ChannelReader<string> ChangedServers => _changedServers.Reader;

    public IReadOnlyCollection<string> ServerLabels => _factory.ServerLabels;

    /// <summary>Serves the persisted catalog until the servers answer (a restart starts warm).</summary>
    public async Task LoadPersistedAsync(CancellationToken cancellationToken)
    {
        var (tools, servers) = await _store.LoadAsync(ServerLabels, cancellationToken);
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (Current.Version != 0)
            {
                return; // a live listing already won
            }
            Publish(new ToolCatalogSnapshot(tools, servers.ToDictionary(s => s.Label), DimensionsOf(tools), _embeddingModel, 1));
            _logger.LogInformation("Tool catalog loaded from the database: {Tools} tools of {Servers} servers.", tools.Count, servers.Count);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public Task<ToolCatalogSnapshot> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(ServerLabels, cancellationToken);

    /// <summary>
    /// Lists the given servers again (others keep their tools) and swaps in the result. Servers are merged in
    /// as they answer, so one that hangs until <see cref="McpOptions.ListTimeout"/> does not hold back the
    /// others' tools; the snapshot returned has every given server's outcome.
    /// </summary>
    public async Task<ToolCatalogSnapshot> RefreshAsync(IReadOnlyCollection<string> serverLabels, CancellationToken cancellationToken)
    {
        var configured = ServerLabels.ToHashSet(StringComparer.Ordinal);
        var pending = serverLabels.Where(configured.Contains).Distinct().Select(l => ListAsync(l, cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return await MergeAsync(configured, [], cancellationToken);
        }

        ToolCatalogSnapshot snapshot = null!;
        while (pending.Count > 0)
        {
            await Task.WhenAny(pending);
            // Servers that answered together are merged together: one swap, one embedding batch, one write.
            var answered = pending.Where(t => t.IsCompleted).ToList();
            pending.RemoveAll(answered.Contains);
            snapshot = await MergeAsync(configured, await Task.WhenAll(answered), cancellationToken);
        }
        return snapshot;
    }

    private async Task<ToolCatalogSnapshot> MergeAsync(HashSet<string> configured, ServerListing[] listed, CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            var previous = Current;
            var now = DateTimeOffset.UtcNow;
            var servers = new Dictionary<string, McpServerState>(StringComparer.Ordinal);
            var entries = new List<McpTool>();
            var listings = listed.ToDictionary(l => l.Label);
            foreach (var label in configured)
            {
                var previousTools = previous.Tools.Where(t => t.ServerLabel == label);
                previous.Servers.TryGetValue(label, out var previousState);
                if (!listings.TryGetValue(label, out var listing))
                {
                    entries.AddRange(previousTools);
                    servers[label] = previousState ?? new McpServerState(label, _factory.DescribeEndpoint(label), false, null, "not listed yet");
                }
                else if (listing.Tools is { } listedTools)
                {
                    entries.AddRange(listedTools.Select(t => FromProtocol(label, t)));
                    servers[label] = new McpServerState(label, _factory.DescribeEndpoint(label), true, now, null);
                }
                else
                {
                    entries.AddRange(previousTools.Select(t => t with { Available = false }));
                    servers[label] = new McpServerState(label, _factory.DescribeEndpoint(label), false, previousState?.LastListedAt, listing.Error);
                }
            }

            var names = ToolNaming.Assign(entries.Select(e => (e.ServerLabel, e.Name)));
            var tools = entries.Select(e => e with { ExposedName = names[(e.ServerLabel, e.Name)] }).ToList();
            tools = await EmbedAsync(tools, previous, cancellationToken);

            var snapshot = new ToolCatalogSnapshot(tools, servers, DimensionsOf(tools), _embeddingModel, previous.Version + 1);
            Publish(snapshot);
            await PersistAsync(snapshot, cancellationToken);
            return snapshot;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private void Publish(ToolCatalogSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Changed?.Invoke(snapshot);
    }

    private async Task PersistAsync(ToolCatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        // An unchanged catalog (the common timer refresh) costs the database nothing.
        var fingerprint = Fingerprint(snapshot);
        if (fingerprint == _persistedFingerprint)
        {
            return;
        }
        try
        {
            await _store.SaveAsync(snapshot, cancellationToken);
            _persistedFingerprint = fingerprint;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The in-memory catalog is already live; the next refresh writes again.
            _logger.LogWarning(ex, "Could not persist the tool catalog.");
        }
    }

    private async Task<ServerListing> ListAsync(string label, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.ListTimeout);
                var client = await GetListingSessionAsync(label, timeout.Token);
                var tools = new List<Tool>();
                string? cursor = null;
                var pages = 0;
                do
                {
                    var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, timeout.Token);
                    tools.AddRange(page.Tools);
                    cursor = page.NextCursor;
                }
                while (!string.IsNullOrEmpty(cursor) && ++pages < 10_000);
                _metrics.CatalogRefreshed(label, success: true);
                return new ServerListing(label, tools, null);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await DropListingSessionAsync(label);
                // Listing is read-only: one retry on a fresh session covers a session the server forgot.
                if (attempt == 0 && McpFailure.IsSessionFailure(ex) && ex is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
                {
                    continue;
                }
                _metrics.CatalogRefreshed(label, success: false);
                _logger.LogWarning("Listing tools of MCP server {Server} failed: {Error}", label, ex.Message);
                return new ServerListing(label, null, ex.Message);
            }
        }
    }

    private async Task<McpClient> GetListingSessionAsync(string label, CancellationToken cancellationToken)
    {
        if (_listingSessions.TryGetValue(label, out var existing) && !existing.Completion.IsCompleted)
        {
            return existing;
        }
        await DropListingSessionAsync(label);
        var handlers = new KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>[]
        {
            new(NotificationMethods.ToolListChangedNotification, (_, _) =>
            {
                _changedServers.Writer.TryWrite(label);
                return ValueTask.CompletedTask;
            }),
        };
        var client = await _factory.CreateAsync(label, handlers, cancellationToken);
        _listingSessions[label] = client;
        return client;
    }

    private async Task DropListingSessionAsync(string label)
    {
        if (_listingSessions.TryRemove(label, out var client))
        {
            try
            {
                await _factory.CloseAsync(client).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch
            {
                // Already gone.
            }
        }
    }

    private async Task<List<McpTool>> EmbedAsync(List<McpTool> tools, ToolCatalogSnapshot previous, CancellationToken cancellationToken)
    {
        var known = previous.Tools.ToDictionary(t => (t.ServerLabel, t.Name));
        var missing = new List<int>();
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            if (tool.EmbeddingModel == _embeddingModel && tool.Embedding is not null)
            {
                continue;
            }
            if (known.TryGetValue((tool.ServerLabel, tool.Name), out var old)
                && old.ContentHash == tool.ContentHash && old.EmbeddingModel == _embeddingModel && old.Embedding is not null)
            {
                tools[i] = tool with { Embedding = old.Embedding, EmbeddingModel = old.EmbeddingModel };
                continue;
            }
            missing.Add(i);
        }
        if (missing.Count == 0)
        {
            return tools;
        }
        try
        {
            var generated = await _embeddings.GenerateAsync(missing.Select(i => EmbeddingText(tools[i])), cancellationToken: cancellationToken);
            for (var j = 0; j < missing.Count; j++)
            {
                tools[missing[j]] = tools[missing[j]] with { Embedding = generated[j].Vector.ToArray(), EmbeddingModel = _embeddingModel };
            }
            _logger.LogInformation("Embedded {Count} new or changed tools with {Model}.", missing.Count, _embeddingModel);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Search falls back to the lexical score for these tools until the next refresh.
            _logger.LogWarning(ex, "Embedding {Count} tools failed.", missing.Count);
        }
        return tools;
    }

    private static string Fingerprint(ToolCatalogSnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var server in snapshot.Servers.Values.OrderBy(s => s.Label, StringComparer.Ordinal))
        {
            text.Append(server.Label).Append('|').Append(server.Endpoint).Append('|').Append(server.Available).Append('\n');
        }
        foreach (var tool in snapshot.Tools)
        {
            text.Append(tool.ServerLabel).Append('|').Append(tool.Name).Append('|').Append(tool.ExposedName).Append('|')
                .Append(tool.ContentHash).Append('|').Append(tool.EmbeddingModel).Append('|').Append(tool.Embedding is null).Append('|')
                .Append(tool.Title).Append('|').Append(tool.Description).Append('|').Append(tool.InputSchema.GetRawText()).Append('|')
                .Append(tool.OutputSchema?.GetRawText()).Append('|').Append(tool.Annotations?.ToJson()).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private int DimensionsOf(IEnumerable<McpTool> tools) =>
        tools.FirstOrDefault(t => t.EmbeddingModel == _embeddingModel && t.Embedding is not null)?.Embedding!.Length ?? 0;

    private static McpTool FromProtocol(string label, Tool tool)
    {
        var text = EmbeddingText(tool.Name, tool.Title, tool.Description, tool.InputSchema);
        return new McpTool
        {
            ExposedName = tool.Name,
            ServerLabel = label,
            Name = tool.Name,
            Title = tool.Title ?? tool.Annotations?.Title,
            Description = tool.Description,
            InputSchema = tool.InputSchema.Clone(),
            OutputSchema = tool.OutputSchema?.Clone(),
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
            Available = true,
            Annotations = McpToolAnnotations.From(tool.Annotations),
        };
    }

    private static string EmbeddingText(McpTool tool) => EmbeddingText(tool.Name, tool.Title, tool.Description, tool.InputSchema);

    /// <summary>What a tool is found by: its name, title, description and argument names.</summary>
    internal static string EmbeddingText(string name, string? title, string? description, JsonElement inputSchema)
    {
        var text = new StringBuilder().Append(name).Append('\n').Append(title).Append('\n').Append(description);
        if (inputSchema.ValueKind == JsonValueKind.Object && inputSchema.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object)
        {
            text.Append('\n');
            foreach (var property in properties.EnumerateObject())
            {
                text.Append(property.Name).Append(' ');
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var label in _listingSessions.Keys)
        {
            await DropListingSessionAsync(label);
        }
    }

    private sealed record ServerListing(string Label, List<Tool>? Tools, string? Error);
}
