using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using Platform.Api.Auth;
using Platform.Api.Chat;
using Platform.Api.Infrastructure;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Schema;
using Platform.Api.Tools.Search;
using Platform.Api.Tools.Sessions;

namespace Platform.Api.Tools;

/// <summary><c>/v1/tools</c>: browse, search and invoke the MCP tool catalog.</summary>
public static class ToolsApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int MaxSearchResults = 50;

    /// <summary>
    /// Queries are embedded and their embeddings cached by query text (Mcp:Embeddings:QueryCacheSize entries):
    /// a bound on the text bounds the cache's memory, and no tool description needs a longer query.
    /// </summary>
    public const int MaxSearchQueryLength = 1000;

    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/tools").WithTags("Tools").RequireAuthorization(ApiKeyScopes.ToolsPolicy);
        api.MapGet("/", ListTools);
        api.MapGet("/search", SearchTools);
        api.MapGet("/{name}", GetTool);
        // Set on the server as the body arrives, so that a body past it is refused before it is held in memory.
        api.MapPost("/{name}/invoke", InvokeTool)
            .WithRequestBodyLimit(app.ServiceProvider.GetRequiredService<IOptions<McpOptions>>().Value.MaxInvokeRequestBodyBytes);
        api.MapPost("/refresh", RefreshCatalog).RequireAuthorization(ApiClaims.AdminPolicy).WithRequestBodyLimit(0);
        return app;
    }

    public static Results<Ok<ToolListResponse>, JsonHttpResult<ApiErrorResponse>> ListTools(
        ToolCatalog catalog, string? server = null, int? limit = null, string? after = null)
    {
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            return Error(StatusCodes.Status400BadRequest, $"limit must be between 1 and {MaxPageSize}.", "limit", "invalid_limit");
        }
        var snapshot = catalog.Current;
        if (server is not null && !snapshot.Servers.ContainsKey(server))
        {
            return Error(StatusCodes.Status404NotFound, $"No MCP server '{server}' is configured.", "server", "server_not_found");
        }

        IEnumerable<McpTool> tools = snapshot.Tools;
        if (after is not null)
        {
            tools = tools.Where(t => string.CompareOrdinal(t.ExposedName, after) > 0);
        }
        if (server is not null)
        {
            tools = tools.Where(t => t.ServerLabel == server);
        }
        var page = tools.Take(pageSize + 1).Select(ToolResponse.From).ToList();
        var hasMore = page.Count > pageSize;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }
        return TypedResults.Ok(new ToolListResponse("list", page, page.FirstOrDefault()?.Name, page.LastOrDefault()?.Name, hasMore));
    }

    public static Results<Ok<ToolResponse>, JsonHttpResult<ApiErrorResponse>> GetTool(string name, ToolCatalog catalog) =>
        catalog.Current.TryGetTool(name, out var tool)
            ? TypedResults.Ok(ToolResponse.From(tool))
            : UnknownTool(name);

    public static async Task<Results<Ok<ToolSearchResponse>, JsonHttpResult<ApiErrorResponse>>> SearchTools(
        ToolSearchService search, string? q, int? k, string? server, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return Error(StatusCodes.Status400BadRequest, "The query parameter q is required.", "q", "missing_query");
        }
        if (q.Length > MaxSearchQueryLength)
        {
            return Error(StatusCodes.Status400BadRequest, $"The query parameter q is longer than {MaxSearchQueryLength} characters.", "q", "string_above_max_length");
        }
        var count = k ?? 8;
        if (count is < 1 or > MaxSearchResults)
        {
            return Error(StatusCodes.Status400BadRequest, $"k must be between 1 and {MaxSearchResults}.", "k", "invalid_k");
        }
        var hits = await search.SearchAsync(q, count, server is null ? null : t => t.ServerLabel == server, cancellationToken);
        var data = hits.Select(h => new ToolSearchResultResponse(h.Score, ToolResponse.From(h.Tool))).ToList();
        return TypedResults.Ok(new ToolSearchResponse("list", q, data));
    }

    public static async Task<Results<Ok<ToolInvocationResponse>, JsonHttpResult<ApiErrorResponse>, OpenAIErrorResult>> InvokeTool(
        string name, HttpContext http, ToolCatalog catalog, McpToolInvoker invoker, IOptions<McpOptions> options, ILogger<McpToolInvoker> logger, CancellationToken cancellationToken)
    {
        if (!catalog.Current.TryGetTool(name, out var tool))
        {
            return UnknownTool(name);
        }

        JsonElement arguments;
        try
        {
            arguments = await ReadArgumentsAsync(http, options.Value.MaxInvokeRequestBodyBytes);
        }
        catch (ChatGatewayException e)
        {
            return OpenAIErrorResult.From(e);
        }
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return Error(StatusCodes.Status400BadRequest, "arguments must be a JSON object.", "arguments", "invalid_arguments");
        }
        if (JsonSchemaValidator.Validate(tool.InputSchema, arguments) is { } schemaError)
        {
            return Error(StatusCodes.Status422UnprocessableEntity,
                $"Invalid arguments for tool '{tool.ExposedName}': {schemaError}", $"arguments{schemaError.Path}", "invalid_tool_arguments");
        }

        try
        {
            var result = await invoker.InvokeAsync(tool, arguments, cancellationToken);
            return TypedResults.Ok(new ToolInvocationResponse(
                "mcp_tool_result", tool.ExposedName, result.IsError == true, McpToolInvoker.ResultText(result), result.Content, result.StructuredContent));
        }
        catch (TimeoutException ex)
        {
            return Error(StatusCodes.Status504GatewayTimeout, ex.Message, null, "tool_timeout", "server_error");
        }
        catch (McpProtocolException ex)
        {
            return Error(StatusCodes.Status502BadGateway, $"MCP server '{tool.ServerLabel}' rejected the call: {ex.Message}", null, "tool_call_failed", "server_error");
        }
        catch (Exception ex) when (McpFailure.IsSessionFailure(ex) || ex is McpException)
        {
            // The transport's message names hosts and ports: the operator reads it in the log, the caller gets the label.
            logger.LogWarning(ex, "Tool {Tool} of MCP server {Server} failed for request {RequestId}.", tool.ExposedName, tool.ServerLabel, http.GetRequestId());
            return Error(StatusCodes.Status502BadGateway, $"MCP server '{tool.ServerLabel}' is unreachable; the gateway's log has the details under this response's x-request-id.", null, "tool_server_unavailable", "server_error");
        }
    }

    public static async Task<Ok<ToolCatalogStatusResponse>> RefreshCatalog(ToolCatalog catalog, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.RefreshAsync(cancellationToken);
        return TypedResults.Ok(new ToolCatalogStatusResponse(snapshot.Version, snapshot.Tools.Count, [.. snapshot.Servers.Values]));
    }

    /// <summary>
    /// The body is <c>{"arguments": {...}}</c>; an empty body or null arguments mean none. Read by
    /// JsonRequestReader, so a body that is too large, not UTF-8 or not JSON is a 4xx naming the fault.
    /// </summary>
    private static async Task<JsonElement> ReadArgumentsAsync(HttpContext http, long maxBytes)
    {
        if (http.Request.ContentLength == 0)
        {
            return EmptyObject();
        }
        var request = await JsonRequestReader.ReadAsync(http, ToolsJsonContext.Default.ToolInvocationRequest, maxBytes, "Mcp:MaxInvokeRequestBodyBytes");
        return request.Arguments is { ValueKind: not JsonValueKind.Null } arguments ? arguments : EmptyObject();
    }

    private static JsonElement EmptyObject() => JsonDocument.Parse("{}").RootElement.Clone();

    private static JsonHttpResult<ApiErrorResponse> UnknownTool(string name) =>
        Error(StatusCodes.Status404NotFound, $"No tool named '{name}' is in the catalog.", "name", "tool_not_found");

    private static JsonHttpResult<ApiErrorResponse> Error(int status, string message, string? param, string code, string type = "invalid_request_error") =>
        TypedResults.Json(ApiError.Create(message, type, param, code), statusCode: status);
}
