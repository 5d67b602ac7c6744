namespace Platform.McpHost.Tools;

/// <summary>Bad tool input; its message goes back to the caller as an isError result.</summary>
internal sealed class ToolArgumentException(string message) : Exception(message);
