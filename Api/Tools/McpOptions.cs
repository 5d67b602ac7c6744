namespace Platform.Api.Tools;

/// <summary>The Api's MCP settings, bound from the <c>Mcp</c> section.</summary>
public sealed class McpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>MCP servers by label. The label is what requests name in <c>server_label</c>.</summary>
    public Dictionary<string, McpServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often every server is listed again, list_changed notifications aside.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on one server's tools/list (all pages).</summary>
    public TimeSpan ListTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Rounds of MCP tool calls one request may run (the pipeline's <c>MaximumIterationsPerRequest</c>); after the
    /// last, the model is asked once more without tools and must answer.
    /// </summary>
    public int MaxToolRounds { get; set; } = 5;

    /// <summary>Tools offered to the model when an mcp entry names no allowed_tools.</summary>
    public int AutoSelectTopK { get; set; } = 8;

    /// <summary>A tool call that takes longer is cancelled and reported to the model as an error.</summary>
    public TimeSpan ToolCallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public McpSessionPoolOptions Pool { get; set; } = new();

    public McpEmbeddingOptions Embeddings { get; set; } = new();
}

public sealed class McpServerOptions
{
    /// <summary>Absolute URL, or a logical one (<c>http://mcphost/mcp</c>) resolved by service discovery.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>.</summary>
    public string? Token { get; set; }

    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>MCP protocol revision to request; a session-based revision by default so sessions can be pooled.</summary>
    public string ProtocolVersion { get; set; } = "2025-11-25";

    public bool Enabled { get; set; } = true;
}

public sealed class McpSessionPoolOptions
{
    /// <summary>Most sessions kept open to one server.</summary>
    public int MaxSessionsPerServer { get; set; } = 4;

    /// <summary>Calls one session carries at once before the pool opens another (while under the bound).</summary>
    public int CallsPerSession { get; set; } = 16;

    /// <summary>A session with no call for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class McpEmbeddingOptions
{
    /// <summary>An OpenAI-compatible base URL (e.g. https://api.openai.com/v1); empty means the built-in local embedding.</summary>
    public string? Endpoint { get; set; }
    public string? Model { get; set; }
    public string? ApiKey { get; set; }

    /// <summary>Texts per embeddings request.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Query embeddings kept in memory.</summary>
    public int QueryCacheSize { get; set; } = 2048;
}
