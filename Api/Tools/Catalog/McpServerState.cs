namespace Platform.Api.Tools.Catalog;

/// <summary>What the catalog knows about one configured server.</summary>
public sealed record McpServerState(string Label, string Endpoint, bool Available, DateTimeOffset? LastListedAt, string? LastError);
