namespace Platform.Api.Tools.Sessions;

/// <summary>
/// A tool call failed because its MCP server could not be reached or dropped the session. When
/// <see cref="MayHaveRun"/> is true the request had reached the server, so it was not replayed.
/// </summary>
public sealed class McpServerUnavailableException(string serverLabel, string toolName, bool mayHaveRun, Exception inner)
    : IOException(
        mayHaveRun
            ? $"MCP server '{serverLabel}' dropped the connection during the call to '{toolName}'; the call may have run, so it was not repeated. ({inner.Message})"
            : $"MCP server '{serverLabel}' is unreachable: {inner.Message}",
        inner)
{
    public string ServerLabel { get; } = serverLabel;
    public string ToolName { get; } = toolName;
    public bool MayHaveRun { get; } = mayHaveRun;
}
