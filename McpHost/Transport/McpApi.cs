using Platform.McpHost.Security;

namespace Platform.McpHost.Transport;

/// <summary>The MCP Streamable HTTP endpoint: POST, GET and DELETE on /mcp.</summary>
public static class McpApi
{
    public const string Path = "/mcp";

    public static RouteGroupBuilder MapMcpEndpoint(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path)
            .AddEndpointFilter<McpAccessFilter>()
            .WithTags("MCP");

        group.MapPost("", (HttpContext context, StreamableHttpHandler handler) => handler.HandlePostAsync(context));
        group.MapGet("", (HttpContext context, StreamableHttpHandler handler) => handler.HandleGetAsync(context));
        group.MapDelete("", (HttpContext context, StreamableHttpHandler handler) => handler.HandleDeleteAsync(context));
        return group;
    }
}
