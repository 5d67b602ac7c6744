using System.Net;
using System.Text.Json.Nodes;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>DNS-rebinding defence: which Host and Origin headers McpHost (listening on 127.0.0.1) accepts.</summary>
public sealed class OriginTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    [Theory]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1:3000")]
    [InlineData("http://[::1]:8080")]
    [InlineData("https://localhost")]
    public async Task ABrowserPageServedFromLoopbackIsAcceptedOnALoopbackServer(string origin)
    {
        using var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Add("Origin", origin);

        var initialize = await new RawMcpClient(http).InitializeAsync();

        Assert.NotNull(initialize["serverInfo"]);
    }

    [Fact]
    public async Task AnOriginOnTheAllowListIsAccepted()
    {
        using var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Add("Origin", McpHostServer.AllowedOrigin);

        var initialize = await new RawMcpClient(http).InitializeAsync();

        Assert.NotNull(initialize["serverInfo"]);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost.evil.example:6274")]
    [InlineData("http://127.0.0.1.nip.io:3000")]
    [InlineData("null")]
    public async Task AForeignOriginIsForbidden(string origin)
    {
        using var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Origin", origin);
        var client = new RawMcpClient(http);

        var (response, messages) = await client.SendAsync(client.Request("initialize", InitializeParams()), includeProtocolVersion: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("origin", (string?)messages.Single()["error"]!["message"]);
    }

    [Fact]
    public async Task ALoopbackOriginDoesNotExcuseAForeignHost()
    {
        using var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Host = "attacker.example";
        http.DefaultRequestHeaders.Add("Origin", "http://localhost:6274");
        var client = new RawMcpClient(http);

        var (response, _) = await client.SendAsync(client.Request("initialize", InitializeParams()), includeProtocolVersion: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static JsonObject InitializeParams() => new()
    {
        ["protocolVersion"] = RawMcpClient.ProtocolVersion,
        ["capabilities"] = new JsonObject(),
        ["clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" },
    };
}
