namespace Platform.McpHost.Transport;

/// <summary>Streamable HTTP constants; the SDK keeps its own copies internal.</summary>
internal static class McpProtocol
{
    public const string SessionIdHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";

    /// <summary>Revisions that use the initialize handshake and therefore sessions, oldest first.</summary>
    public static readonly string[] SessionProtocolVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    /// <summary>First revision without sessions or initialize (SEP-2567/2575).</summary>
    public const string SessionlessProtocolVersion = "2026-07-28";

    // Versions are ISO dates, so ordinal order is chronological.
    public static bool IsSessionless(string version) =>
        version.Length > 0 && string.CompareOrdinal(version, SessionlessProtocolVersion) >= 0;

    public static bool IsSupported(string version) => SessionProtocolVersions.Contains(version, StringComparer.Ordinal);
}
