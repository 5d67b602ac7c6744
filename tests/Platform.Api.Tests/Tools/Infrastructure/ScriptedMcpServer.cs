using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Api.Tests.Tools.Infrastructure;

/// <summary>
/// A minimal Streamable HTTP MCP server on 127.0.0.1 whose tools/call answer is an SSE stream with a
/// progress notification and a ping request before the reply, as spec-compliant servers may send.
/// Records every message the client posts, and when each tool call started and finished. It lists the
/// <see cref="ScriptedTool"/>s it was given; each answers "{name} done" after its delay.
/// </summary>
public sealed class ScriptedMcpServer(WebApplication app, Uri endpoint, IReadOnlyList<ScriptedTool> tools) : IAsyncDisposable
{
    public const string SessionId = "scripted-session-1";

    public Uri Endpoint => endpoint;
    public ConcurrentQueue<JsonObject> Received { get; } = new();
    public ConcurrentQueue<ScriptedToolCall> Calls { get; } = new();

    public static async Task<ScriptedMcpServer> StartAsync(params ScriptedTool[] tools)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ScriptedMcpServer? server = null;
        app.MapPost("/mcp", (HttpContext context) => server!.HandleAsync(context));
        app.MapDelete("/mcp", () => Results.NoContent());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ScriptedMcpServer(app, new Uri(address.TrimEnd('/') + "/mcp"), tools);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var message = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Received.Enqueue(message);
        var id = message["id"]?.DeepClone();
        switch ((string?)message["method"])
        {
            case "initialize":
                context.Response.Headers["Mcp-Session-Id"] = SessionId;
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["jsonrpc"] = "2.0", ["id"] = id,
                    ["result"] = new JsonObject
                    {
                        ["protocolVersion"] = "2025-11-25",
                        ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                        ["serverInfo"] = new JsonObject { ["name"] = "scripted", ["version"] = "1" },
                    },
                });
                return;
            case "tools/list":
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["jsonrpc"] = "2.0", ["id"] = id,
                    ["result"] = new JsonObject
                    {
                        ["tools"] = new JsonArray(tools.Select(t => (JsonNode)new JsonObject
                        {
                            ["name"] = t.Name,
                            ["description"] = t.Description,
                            ["inputSchema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
                        }).ToArray()),
                    },
                });
                return;
            case "tools/call":
                var name = (string?)message["params"]?["name"] ?? "";
                var started = DateTimeOffset.UtcNow;
                if (tools.FirstOrDefault(t => t.Name == name) is { } tool)
                {
                    await Task.Delay(tool.Delay, context.RequestAborted);
                }
                Calls.Enqueue(new ScriptedToolCall(name, started, DateTimeOffset.UtcNow));
                context.Response.ContentType = "text/event-stream";
                await WriteEventAsync(context, """{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}""");
                await WriteEventAsync(context, """{"jsonrpc":"2.0","id":"server-ping-1","method":"ping"}""");
                await WriteEventAsync(context, new JsonObject
                {
                    ["jsonrpc"] = "2.0", ["id"] = id,
                    ["result"] = new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = tools.Count == 0 ? "scripted answer" : $"{name} done" }) },
                }.ToJsonString());
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status202Accepted; // notifications and answers to our requests
                return;
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string json)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: message\ndata: {json}\n\n"));
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A tool the scripted server lists; a call to it takes <see cref="Delay"/>.</summary>
public sealed record ScriptedTool(string Name, string Description, TimeSpan Delay);

public sealed record ScriptedToolCall(string Name, DateTimeOffset Started, DateTimeOffset Finished);
