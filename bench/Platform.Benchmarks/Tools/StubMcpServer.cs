using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Benchmarks.Tools;

/// <summary>
/// The smallest Streamable HTTP MCP server that lists many tools: initialize, ping and paged
/// tools/list answered as JSON; no standalone stream (GET is 405, which the spec allows).
/// </summary>
internal sealed class StubMcpServer(WebApplication app, Uri endpoint) : IAsyncDisposable
{
    public const int PageSize = 100;

    public Uri Endpoint { get; } = endpoint;

    public static async Task<StubMcpServer> StartAsync(IReadOnlyList<(string Name, string Description)> tools)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.ListenOnLoopback();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/mcp", (HttpContext http) => HandleAsync(http, tools));
        app.MapGet("/mcp", () => Results.StatusCode(StatusCodes.Status405MethodNotAllowed));
        app.MapDelete("/mcp", () => Results.Ok());
        var address = await app.StartOnLoopbackAsync();
        return new StubMcpServer(app, new Uri(address + "/mcp"));
    }

    private static async Task HandleAsync(HttpContext http, IReadOnlyList<(string Name, string Description)> tools)
    {
        using var request = await JsonDocument.ParseAsync(http.Request.Body);
        var root = request.RootElement;
        if (!root.TryGetProperty("id", out var id))
        {
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }
        var method = root.GetProperty("method").GetString();
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        JsonNode result;
        switch (method)
        {
            case "initialize":
                http.Response.Headers["Mcp-Session-Id"] = Guid.NewGuid().ToString("N");
                result = new JsonObject
                {
                    ["protocolVersion"] = parameters.GetProperty("protocolVersion").GetString(),
                    ["capabilities"] = new JsonObject { ["tools"] = new JsonObject { ["listChanged"] = true } },
                    ["serverInfo"] = new JsonObject { ["name"] = "stub", ["version"] = "1.0" },
                };
                break;
            case "tools/list":
                var start = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("cursor", out var cursor) ? int.Parse(cursor.GetString()!) : 0;
                var page = new JsonArray();
                foreach (var (name, description) in tools.Skip(start).Take(PageSize))
                {
                    page.Add(new JsonObject
                    {
                        ["name"] = name,
                        ["description"] = description,
                        ["inputSchema"] = JsonNode.Parse(SyntheticTools.Schema.GetRawText()),
                    });
                }
                result = new JsonObject { ["tools"] = page };
                if (start + PageSize < tools.Count)
                {
                    result["nextCursor"] = $"{start + PageSize}";
                }
                break;
            default:
                result = new JsonObject();
                break;
        }
        await http.Response.WriteAsJsonAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = result });
    }

    public ValueTask DisposeAsync() => app.StopAndDisposeAsync();
}
