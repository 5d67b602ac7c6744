using System.Net;
using System.Text.Json.Nodes;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

public sealed class JsonResponseTests(JsonResponseTests.JsonServer server) : IClassFixture<JsonResponseTests.JsonServer>
{
    /// <summary>McpHost:JsonResponses on: requests are answered with application/json instead of SSE.</summary>
    public sealed class JsonServer : McpHostServer
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["McpHost:JsonResponses"] = "true",
        };
    }

    [Fact]
    public async Task RequestsAreAnsweredWithOneJsonBody()
    {
        var client = new RawMcpClient(server.CreateHttpClient());
        await client.InitializeAsync();

        var (response, messages) = await client.SendAsync(client.Request("tools/call", new JsonObject
        {
            ["name"] = "evaluate_expression",
            ["arguments"] = new JsonObject { ["expression"] = "6 * 7" },
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(42, (double?)messages.Single()["result"]!["structuredContent"]!["result"]);
    }

    [Fact]
    public async Task SdkClientWorksAgainstJsonResponses()
    {
        await using var client = await server.ConnectAsync();

        var result = await client.CallToolAsync("convert_units", ToolCallTests.Arguments("""{"value":1,"from":"ft","to":"in"}"""));

        Assert.Equal(12, result.StructuredContent!.Value.GetProperty("result").GetDouble());
    }
}
