using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

public sealed class NoTokenTests(NoTokenTests.OpenServer server) : IClassFixture<NoTokenTests.OpenServer>
{
    /// <summary>Development setup: McpHost:Token empty.</summary>
    public sealed class OpenServer : McpHostServer
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["McpHost:Token"] = "" };
    }

    [Fact]
    public async Task WithoutAConfiguredTokenRequestsNeedNoAuthorization()
    {
        var client = new RawMcpClient(server.CreateHttpClient(token: null));

        await client.InitializeAsync();
        var tools = await client.CallAsync("tools/list");

        Assert.NotEmpty(tools["tools"]!.AsArray());
    }

    [Fact]
    public async Task WithNoAllowedOriginsAForeignBrowserOriginIsForbidden()
    {
        using var http = server.CreateHttpClient(token: null);
        http.DefaultRequestHeaders.Add("Origin", "http://example.com");
        var client = new RawMcpClient(http);

        var (response, _) = await client.SendAsync(client.Request("ping"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }
}
