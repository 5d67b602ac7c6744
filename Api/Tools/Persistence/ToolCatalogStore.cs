using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Platform.Api.Tools.Catalog;
using Platform.Data;
using Platform.Data.Entities;

namespace Platform.Api.Tools.Persistence;

/// <summary>
/// Keeps the catalog in PostgreSQL (mcp_servers, mcp_tools) so that a restarted Api serves its last
/// catalog, embeddings included, before any server answers. Tools a server stopped listing are
/// marked deleted, not removed.
/// </summary>
public sealed class ToolCatalogStore(IServiceScopeFactory scopes)
{
    // Serializes catalog writes of several Api instances (exposed names are unique across rows).
    private const long CatalogLockKey = 0x4D6370546F6F6C73; // "McpTools"

    public async Task<(List<McpTool> Tools, List<McpServerState> Servers)> LoadAsync(IReadOnlyCollection<string> serverLabels, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var servers = await db.McpServers.AsNoTracking()
            .Where(s => serverLabels.Contains(s.Name))
            .Include(s => s.Tools.Where(t => t.DeletedAt == null))
            .ToListAsync(cancellationToken);

        var tools = new List<McpTool>();
        foreach (var server in servers)
        {
            foreach (var row in server.Tools)
            {
                tools.Add(new McpTool
                {
                    ExposedName = row.ExposedName,
                    ServerLabel = server.Name,
                    Name = row.Name,
                    Title = row.Title,
                    Description = row.Description,
                    InputSchema = ParseJson(row.InputSchema) ?? EmptyObjectSchema(),
                    OutputSchema = ParseJson(row.OutputSchema),
                    ContentHash = row.ContentHash,
                    Available = server.Available,
                    Annotations = McpToolAnnotations.FromJson(row.Annotations),
                    Embedding = row.Embedding,
                    EmbeddingModel = row.EmbeddingModel,
                });
            }
        }
        var states = servers.Select(s => new McpServerState(s.Name, s.Endpoint, s.Available, s.LastListedAt, null)).ToList();
        return (tools, states);
    }

    public async Task SaveAsync(ToolCatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({CatalogLockKey})", ct);
            await SaveCoreAsync(db, snapshot, ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    private static async Task SaveCoreAsync(PlatformDbContext db, ToolCatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var labels = snapshot.Servers.Keys.ToList();
        var servers = await db.McpServers.Where(s => labels.Contains(s.Name)).ToDictionaryAsync(s => s.Name, cancellationToken);
        foreach (var state in snapshot.Servers.Values)
        {
            if (!servers.TryGetValue(state.Label, out var server))
            {
                server = new McpServerEntity { Name = state.Label, Endpoint = state.Endpoint };
                db.McpServers.Add(server);
                servers[state.Label] = server;
            }
            server.Endpoint = state.Endpoint;
            server.Available = state.Available;
            server.LastListedAt = state.LastListedAt;
            server.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);

        var labelById = servers.Values.ToDictionary(s => s.Id, s => s.Name);
        // Every row: exposed names are unique table-wide, including rows of servers no longer configured.
        var rows = await db.McpTools.ToListAsync(cancellationToken);
        var wanted = snapshot.Tools.ToDictionary(t => (t.ServerLabel, t.Name));

        // Exposed names can move between tools (a new clash prefixes an old name): park every row whose
        // name changes under a placeholder first, so that no intermediate state breaks the unique index.
        var wantedNames = snapshot.Tools.Select(t => t.ExposedName).ToHashSet(StringComparer.Ordinal);
        var parked = false;
        foreach (var row in rows)
        {
            var target = labelById.TryGetValue(row.ServerId, out var label) && wanted.TryGetValue((label, row.Name), out var tool)
                ? tool.ExposedName
                : null;
            var mustMove = target is not null ? target != row.ExposedName : wantedNames.Contains(row.ExposedName);
            if (mustMove)
            {
                row.ExposedName = $"~{row.Id}";
                parked = true;
            }
        }
        if (parked)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        var existing = rows.Where(r => labelById.ContainsKey(r.ServerId)).ToDictionary(r => (labelById[r.ServerId], r.Name));
        foreach (var tool in snapshot.Tools)
        {
            if (!existing.TryGetValue((tool.ServerLabel, tool.Name), out var row))
            {
                row = new McpToolEntity
                {
                    ServerId = servers[tool.ServerLabel].Id,
                    Name = tool.Name,
                    ExposedName = tool.ExposedName,
                    InputSchema = "{}",
                    ContentHash = tool.ContentHash,
                };
                db.McpTools.Add(row);
            }
            // EF writes only the properties whose values differ, so assigning unchanged values costs nothing.
            var embeddingChanged = row.Id == 0 || row.ContentHash != tool.ContentHash || row.EmbeddingModel != tool.EmbeddingModel
                || (row.Embedding is null) != (tool.Embedding is null);
            var schema = tool.InputSchema.GetRawText();
            var outputSchema = tool.OutputSchema?.GetRawText();
            var annotations = tool.Annotations?.ToJson();
            var describedDifferently = row.Title != tool.Title || row.Description != tool.Description
                || row.InputSchema != schema || row.OutputSchema != outputSchema || row.Annotations != annotations;
            row.ExposedName = tool.ExposedName;
            row.DeletedAt = null;
            row.Title = tool.Title;
            row.Description = tool.Description;
            row.InputSchema = schema;
            row.OutputSchema = outputSchema;
            row.Annotations = annotations;
            if (embeddingChanged)
            {
                row.ContentHash = tool.ContentHash;
                row.Embedding = tool.Embedding;
                row.EmbeddingModel = tool.EmbeddingModel;
            }
            if (embeddingChanged || describedDifferently)
            {
                row.UpdatedAt = DateTimeOffset.UtcNow;
            }
        }
        foreach (var ((label, name), row) in existing)
        {
            if (!wanted.ContainsKey((label, name)) && row.DeletedAt is null)
            {
                row.DeletedAt = DateTimeOffset.UtcNow;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static JsonElement? ParseJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonDocument.Parse(json).RootElement.Clone();

    private static JsonElement EmptyObjectSchema() => JsonDocument.Parse("""{"type":"object"}""").RootElement.Clone();
}
