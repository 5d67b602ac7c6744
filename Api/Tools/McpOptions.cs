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

    /// <summary>Larger <c>POST /v1/tools/{name}/invoke</c> bodies are refused with 413.</summary>
    public long MaxInvokeRequestBodyBytes { get; set; } = 1024 * 1024;

    public McpSessionPoolOptions Pool { get; set; } = new();

    public McpEmbeddingOptions Embeddings { get; set; } = new();
}

/// <summary>
/// One MCP server: Streamable HTTP at <see cref="Endpoint"/>, or a child process speaking MCP over stdio
/// started with <see cref="Command"/>. Exactly one of the two is set.
/// </summary>
public sealed class McpServerOptions
{
    /// <summary>Absolute URL, or a logical one (<c>http://mcphost/mcp</c>) resolved by service discovery.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c> (HTTP servers).</summary>
    public string? Token { get; set; }

    /// <summary>Sent with every request (HTTP servers), e.g. an API key header a hosted server wants.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Program that runs a stdio MCP server (e.g. <c>npx</c>, <c>uvx</c>, <c>dotnet</c>); each session is one process.</summary>
    public string? Command { get; set; }

    public string[] Arguments { get; set; } = [];

    /// <summary>Variables set for the process (stdio servers).</summary>
    public Dictionary<string, string?> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the process gets the Api's whole environment. Off by default: the Api's environment holds its
    /// secrets (database, Redis, provider keys), which a third-party server has no business seeing; it gets a
    /// minimal platform set plus <see cref="Environment"/>.
    /// </summary>
    public bool InheritEnvironment { get; set; }

    /// <summary>Working directory of the process; the Api's own when empty.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Wait before starting a stdio server again after its process exited; doubles with each quick exit.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between restarts of a stdio server that keeps exiting.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// MCP protocol revision to request. A session revision (the default, 2025-11-25) gives pooled sessions;
    /// the sessionless one (2026-07-28) calls the server without a session; empty lets the SDK client probe
    /// and take what the server speaks.
    /// </summary>
    public string ProtocolVersion { get; set; } = "2025-11-25";

    public bool Enabled { get; set; } = true;

    public bool IsStdio => !string.IsNullOrWhiteSpace(Command);

    public bool IsConfigured => IsStdio || !string.IsNullOrWhiteSpace(Endpoint);
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
    /// <summary>
    /// An embedding model the gateway serves (<c>Providers:&lt;name&gt;:EmbeddingModels</c>, an alias, or
    /// <c>provider/model</c>); empty means the built-in local embedding.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Texts per embeddings request.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Query embeddings kept in memory.</summary>
    public int QueryCacheSize { get; set; } = 2048;
}
