using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>Clients of the sessionless revision (2026-07-28) are answered per request, without a session.</summary>
public sealed class StatelessRevisionTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    private const string Revision = "2026-07-28";

    [Fact]
    public async Task SdkClientOnItsDefaultRevisionIsServedWithoutASession()
    {
        await using var client = await server.ConnectAsync(new McpClientOptions());

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("hash_text", ToolCallTests.Arguments("""{"text":"abc"}"""));

        Assert.Equal(Revision, client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);
        Assert.Equal(ToolCallTests.ToolNames.Length, tools.Count);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", result.StructuredContent!.Value.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task RawStatelessToolCallIsAnsweredWithoutASessionId()
    {
        using var http = server.CreateHttpClient();

        using var response = await http.SendAsync(StatelessRequest("tools/call", "convert_units", new JsonObject
        {
            ["name"] = "convert_units",
            ["arguments"] = new JsonObject { ["value"] = 2, ["from"] = "km", ["to"] = "m" },
        }));
        var messages = RawMcpClient.ParseSse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        Assert.Equal(2000, (double?)messages.Single(m => m.ContainsKey("id"))["result"]!["structuredContent"]!["result"]);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task GetAndDeleteOnTheSessionlessRevisionAreAnswered405(string method)
    {
        using var http = server.CreateHttpClient();
        using var request = RawMcpClient.SessionRequest(new HttpMethod(method), sessionId: null);
        request.Headers.Add("MCP-Protocol-Version", Revision);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static HttpRequestMessage StatelessRequest(string method, string? name, JsonObject parameters)
    {
        parameters["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = Revision,
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
        };
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters };
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", Revision);
        request.Headers.Add("Mcp-Method", method);
        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }
        return request;
    }
}
