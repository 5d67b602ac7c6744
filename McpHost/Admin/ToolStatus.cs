using Platform.McpHost.Tools;

namespace Platform.McpHost.Admin;

/// <summary>A tool's availability as the admin API reports it.</summary>
public sealed record ToolStatus(string Name, bool Enabled, string State)
{
    internal static ToolStatus From(string name, ToolState state) => new(name, state == ToolState.Enabled, state switch
    {
        ToolState.Enabled => "enabled",
        ToolState.DisabledByAdmin => "disabled-by-admin",
        ToolState.DisabledByConfiguration => "disabled-by-configuration",
        _ => "not-found",
    });
}
