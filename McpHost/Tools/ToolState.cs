namespace Platform.McpHost.Tools;

public enum ToolState
{
    NotFound,
    Enabled,
    DisabledByAdmin,
    DisabledByConfiguration,
}
