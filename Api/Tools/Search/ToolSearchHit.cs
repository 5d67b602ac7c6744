using Platform.Api.Tools.Catalog;

namespace Platform.Api.Tools.Search;

public readonly record struct ToolSearchHit(McpTool Tool, float Score);
