namespace Platform.McpHost;

/// <summary>Marker type for WebApplicationFactory: every web project now has a public <c>Program</c>.</summary>
public sealed class McpHostAssembly;
