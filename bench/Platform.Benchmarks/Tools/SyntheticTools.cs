using System.Text.Json;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Search;

namespace Platform.Benchmarks.Tools;

/// <summary>Deterministic tool sets of any size, with names and descriptions drawn from a small vocabulary.</summary>
internal static class SyntheticTools
{
    private static readonly string[] Verbs = ["get", "list", "create", "update", "delete", "search", "convert", "compute", "send", "export", "import", "validate"];
    private static readonly string[] Nouns = ["invoice", "customer", "order", "ticket", "weather", "stock", "email", "calendar", "file", "image", "report", "user",
        "payment", "shipment", "product", "review", "contract", "document", "metric", "alert", "repository", "issue", "build", "deployment"];
    private static readonly string[] Qualifiers = ["by id", "for a date range", "in bulk", "with filters", "as csv", "for a region", "from the archive", "with history"];

    public static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"id":{"type":"string"}}}""").RootElement;

    public static List<(string Name, string Description)> Describe(int count)
    {
        var tools = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var verb = Verbs[i % Verbs.Length];
            var noun = Nouns[i / Verbs.Length % Nouns.Length];
            var qualifier = Qualifiers[i / (Verbs.Length * Nouns.Length) % Qualifiers.Length];
            tools.Add(($"{verb}_{noun}_{i}", $"{Capitalize(verb)}s {noun} records {qualifier}. Returns the {noun} fields the caller asks for."));
        }
        return tools;
    }

    public static ToolCatalogSnapshot Snapshot(int count, LocalHashingEmbeddingGenerator? generator = null)
    {
        var tools = Describe(count).Select(t => new McpTool
        {
            ExposedName = t.Name,
            ServerLabel = "synthetic",
            Name = t.Name,
            Description = t.Description,
            InputSchema = Schema,
            ContentHash = t.Name,
            Embedding = generator?.Embed(ToolCatalog.EmbeddingText(t.Name, null, t.Description, Schema)),
            EmbeddingModel = generator?.ModelId,
        });
        var servers = new Dictionary<string, McpServerState> { ["synthetic"] = new("synthetic", "http://synthetic", true, null, null) };
        return new ToolCatalogSnapshot(tools, servers, generator is null ? 0 : LocalHashingEmbeddingGenerator.DefaultDimensions, generator?.ModelId, 1);
    }

    public static string[] Queries(int count)
    {
        var queries = new string[count];
        for (var i = 0; i < count; i++)
        {
            queries[i] = $"{Verbs[(i * 7) % Verbs.Length]} the {Nouns[(i * 5) % Nouns.Length]} {Qualifiers[i % Qualifiers.Length]} for customer {i}";
        }
        return queries;
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
