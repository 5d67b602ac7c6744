using System.Text.Json.Nodes;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>A client that is not the C# SDK (hand-written JSON-RPC, SSE parsed by hand) can use every tool.</summary>
public sealed class RawClientTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    [Fact]
    public async Task RawClientInitializesListsAndCallsATool()
    {
        var client = new RawMcpClient(server.CreateHttpClient());

        var initialize = await client.InitializeAsync();
        var list = await client.CallAsync("tools/list");
        var call = await client.CallAsync("tools/call", new JsonObject
        {
            ["name"] = "convert_units",
            ["arguments"] = new JsonObject { ["value"] = 5, ["from"] = "km", ["to"] = "m" },
        });

        Assert.NotNull(initialize["capabilities"]!["tools"]);
        Assert.Equal(ToolCallTests.ToolNames.Length, list["tools"]!.AsArray().Count);
        Assert.All(list["tools"]!.AsArray(), t => Assert.Equal("object", (string?)t!["inputSchema"]!["type"]));
        Assert.Equal(5000, (double?)call["structuredContent"]!["result"]);
        Assert.Equal("text", (string?)call["content"]![0]!["type"]);
        Assert.NotEqual(true, (bool?)call["isError"]);
    }

    [Fact]
    public async Task RawClientGetsToolErrorsAsResultsAndPingAnswers()
    {
        var client = new RawMcpClient(server.CreateHttpClient());
        await client.InitializeAsync();

        var bad = await client.CallAsync("tools/call", new JsonObject
        {
            ["name"] = "evaluate_expression",
            ["arguments"] = new JsonObject { ["expression"] = "2 +" },
        });
        var ping = await client.CallAsync("ping");

        Assert.True((bool?)bad["isError"]);
        Assert.Contains("Invalid expression", (string?)bad["content"]![0]!["text"]);
        Assert.Empty(ping);
    }

    [Fact]
    public async Task OlderProtocolVersionIsNegotiatedWhenTheClientAsksForIt()
    {
        var client = new RawMcpClient(server.CreateHttpClient());

        var (response, messages) = await client.SendAsync(client.Request("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-03-26",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "old", ["version"] = "1" },
        }), includeProtocolVersion: false);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("2025-03-26", (string?)messages.Single()["result"]!["protocolVersion"]);
    }
}
