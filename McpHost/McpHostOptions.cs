namespace Platform.McpHost;

/// <summary>McpHost's settings, bound from the <c>McpHost</c> configuration section.</summary>
public sealed class McpHostOptions
{
    public const string SectionName = "McpHost";

    /// <summary>
    /// Bearer token every /mcp and /admin request must carry. Required outside Development (start-up fails
    /// without it); empty in Development means no authentication.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Host names (without port) /mcp and /admin answer to; empty or <c>*</c> means any. A DNS-rebound page
    /// reaches the server under the attacker's host name, so a fixed list refuses it even without Origin.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// Browser origins allowed to call /mcp (exact <c>scheme://host[:port]</c>, or <c>*</c>). Requests without
    /// Origin are always allowed, and so are loopback origins reaching a loopback server under a loopback name.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Larger /mcp request bodies are refused with 413 as they arrive.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A session with no request open (no POST in flight, no GET stream) for this long is closed.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Sessions open at once, busy or idle; an initialize past this is answered 503 with Retry-After.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>Idle sessions kept; past this the least recently used idle one is closed to make room.</summary>
    public int MaxIdleSessions { get; set; } = 500;

    /// <summary>Tools per tools/list page; 0 lists every tool in one answer.</summary>
    public int ToolsPageSize { get; set; }

    /// <summary>Tools hidden from every session; reloaded when configuration changes.</summary>
    public string[] DisabledTools { get; set; } = [];
}
