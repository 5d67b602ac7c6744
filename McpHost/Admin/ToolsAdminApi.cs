using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.McpHost.Security;
using Platform.McpHost.Tools;

namespace Platform.McpHost.Admin;

/// <summary>Turns tools on and off at run time; connected sessions get notifications/tools/list_changed.</summary>
public static class ToolsAdminApi
{
    public static RouteGroupBuilder MapToolsAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/tools")
            .AddEndpointFilter<McpAccessFilter>()
            .WithTags("Admin");

        group.MapGet("", GetTools);
        group.MapPost("/{name}/enable", EnableTool);
        group.MapPost("/{name}/disable", DisableTool);
        return group;
    }

    internal static Ok<ToolStatus[]> GetTools(ToolCatalog catalog) =>
        TypedResults.Ok(catalog.Names.Order(StringComparer.Ordinal).Select(n => ToolStatus.From(n, catalog.GetState(n))).ToArray());

    internal static Results<Ok<ToolStatus>, NotFound<ProblemDetails>, Conflict<ProblemDetails>> EnableTool(string name, ToolCatalog catalog) =>
        catalog.Enable(name) switch
        {
            ToolState.NotFound => TypedResults.NotFound(UnknownTool(name)),
            ToolState.DisabledByConfiguration => TypedResults.Conflict(new ProblemDetails
            {
                Title = "Tool disabled by configuration",
                Detail = $"'{name}' is listed in McpHost:DisabledTools; remove it there to enable it.",
                Status = StatusCodes.Status409Conflict,
            }),
            var state => TypedResults.Ok(ToolStatus.From(name, state)),
        };

    internal static Results<Ok<ToolStatus>, NotFound<ProblemDetails>> DisableTool(string name, ToolCatalog catalog) =>
        catalog.Disable(name) switch
        {
            ToolState.NotFound => TypedResults.NotFound(UnknownTool(name)),
            var state => TypedResults.Ok(ToolStatus.From(name, state)),
        };

    private static ProblemDetails UnknownTool(string name) => new()
    {
        Title = "Unknown tool",
        Detail = $"McpHost has no tool named '{name}'.",
        Status = StatusCodes.Status404NotFound,
    };
}
