using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>The HTTP-level rules of the Streamable HTTP transport, checked with plain HttpClient requests.</summary>
public sealed class StreamableHttpTransportTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    [Fact]
    public async Task InitializeReturnsASessionIdAndTheServerCapabilities()
    {
        var client = new RawMcpClient(server.CreateHttpClient());

        var result = await client.InitializeAsync();

        Assert.False(string.IsNullOrEmpty(client.SessionId));
        Assert.All(client.SessionId!, c => Assert.InRange(c, '!', '~'));
        Assert.Equal(RawMcpClient.ProtocolVersion, (string?)result["protocolVersion"]);
        Assert.True((bool?)result["capabilities"]!["tools"]!["listChanged"]);
        Assert.Equal("Platform.McpHost", (string?)result["serverInfo"]!["name"]);
    }

    [Fact]
    public async Task RequestWithoutSessionIdThatIsNotInitializeIsRejectedWith400()
    {
        var client = new RawMcpClient(server.CreateHttpClient());
        await client.InitializeAsync();
        client.SessionId = null;

        var (response, messages) = await client.SendAsync(client.Request("tools/list"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Mcp-Session-Id", (string?)messages.Single()["error"]!["message"]);
    }

    [Fact]
    public async Task UnknownSessionIdIsAnswered404()
    {
        var client = new RawMcpClient(server.CreateHttpClient()) { SessionId = "no-such-session" };

        var (response, messages) = await client.SendAsync(client.Request("tools/list"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(-32001, (int?)messages.Single()["error"]!["code"]);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    public async Task PostThatDoesNotAcceptBothJsonAndEventStreamIsAnswered406(string accept)
    {
        var client = new RawMcpClient(server.CreateHttpClient());

        var (response, _) = await client.SendAsync(client.Request("initialize", InitializeParams()), accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task AHostNameTheServerDoesNotAnswerToIsForbiddenEvenWithoutOrigin()
    {
        using var rebound = server.CreateHttpClient();
        rebound.DefaultRequestHeaders.Host = "attacker.example";
        var client = new RawMcpClient(rebound);

        var (forbidden, _) = await client.SendAsync(client.Request("initialize", InitializeParams()));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.NotNull(await new RawMcpClient(server.CreateHttpClient()).InitializeAsync());
    }

    [Theory]
    [InlineData(null, "Bearer realm=\"McpHost\"")]
    [InlineData("wrong-token", "Bearer realm=\"McpHost\", error=\"invalid_token\"")]
    public async Task MissingOrWrongBearerTokenIsAnswered401WithAChallenge(string? token, string challenge)
    {
        var client = new RawMcpClient(server.CreateHttpClient(token));

        var (response, _) = await client.SendAsync(client.Request("initialize", InitializeParams()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task DeleteEndsTheSessionAndLaterRequestsGet404()
    {
        using var http = server.CreateHttpClient();
        var client = new RawMcpClient(http);
        await client.InitializeAsync();

        using var delete = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Delete, client.SessionId));
        var (after, _) = await client.SendAsync(client.Request("tools/list"));

        Assert.True(delete.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task GetNeedsASessionAndAnEventStreamAccept()
    {
        using var http = server.CreateHttpClient();
        var client = new RawMcpClient(http);
        await client.InitializeAsync();

        using var noSession = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, null));
        using var unknown = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, "no-such-session"));
        using var wrongAccept = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, client.SessionId, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, noSession.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotAcceptable, wrongAccept.StatusCode);
    }

    [Fact]
    public async Task GetOpensAnEventStreamThatDeleteCloses()
    {
        using var http = server.CreateHttpClient();
        var client = new RawMcpClient(http);
        await client.InitializeAsync();

        using var stream = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, client.SessionId), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);

        var body = stream.Content.ReadAsStringAsync();
        using var delete = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Delete, client.SessionId));
        await body.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(delete.IsSuccessStatusCode);
    }

    [Fact]
    public async Task NotificationsAndResponsesAreAcceptedWith202AndNoBody()
    {
        var client = new RawMcpClient(server.CreateHttpClient());
        await client.InitializeAsync();

        var (response, messages) = await client.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/cancelled", ["params"] = new JsonObject { ["requestId"] = 999 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(messages);
    }

    [Fact]
    public async Task MalformedJsonIsAnswered400WithAJsonRpcError()
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        using var response = await http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, (int?)error["error"]!["code"]);
    }

    [Fact]
    public async Task UnsupportedProtocolVersionIsAnswered400ListingTheSupportedOnes()
    {
        const string version = "1999-01-01";
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(new RawMcpClient(http).Request("tools/list").ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", version);

        using var response = await http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32022, (int?)error["code"]);
        Assert.Contains("2025-11-25", error["data"]!["supported"]!.AsArray().Select(v => (string?)v));
    }

    private static JsonObject InitializeParams() => new()
    {
        ["protocolVersion"] = RawMcpClient.ProtocolVersion,
        ["capabilities"] = new JsonObject(),
        ["clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" },
    };
}
