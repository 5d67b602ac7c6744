namespace Platform.McpHost;

/// <summary>McpHost's settings, bound from the <c>McpHost</c> configuration section.</summary>
public sealed class McpHostOptions
{
    public const string SectionName = "McpHost";

    /// <summary>Bearer token every /mcp and /admin request must carry; empty means no authentication (development only).</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Host names (without port) /mcp and /admin answer to; empty or <c>*</c> means any. A DNS-rebound page
    /// reaches the server under the attacker's host name, so a fixed list refuses it even without Origin.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Browser origins allowed to call /mcp (exact <c>scheme://host[:port]</c>, or <c>*</c>). Requests without Origin are always allowed.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>A session with no request in flight for this long is closed.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often idle sessions are looked for.</summary>
    public TimeSpan SessionCleanupInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Past this many sessions the oldest idle one is closed to make room; if none is idle, initialize gets 503.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>
    /// Answer each POSTed request with one application/json body instead of an SSE stream (the spec lets
    /// the server choose). Progress notifications sent during a call are then dropped.
    /// </summary>
    public bool JsonResponses { get; set; }

    /// <summary>Tools hidden from every session; reloaded when configuration changes.</summary>
    public string[] DisabledTools { get; set; } = [];
}
