using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>/mcp on real Kestrel: a body past McpHost:MaxRequestBodyBytes is refused as it arrives, not held in memory.</summary>
public sealed class RequestBodyLimitTests(RequestBodyLimitTests.SmallLimitServer server) : IClassFixture<RequestBodyLimitTests.SmallLimitServer>
{
    public sealed class SmallLimitServer : McpHostServer
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["McpHost:Token"] = Token,
            ["McpHost:MaxRequestBodyBytes"] = "16384",
        };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABodyOverTheLimitIsRefusedWith413(bool chunked)
    {
        using var http = server.CreateHttpClient();
        var text = new string('x', 64 * 1024);
        var body = Encoding.UTF8.GetBytes(
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"text_statistics","arguments":{"text":""" + $"\"{text}\"" + "}}}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ABodyUnderTheLimitIsServed()
    {
        var client = new RawMcpClient(server.CreateHttpClient());

        await client.InitializeAsync();
        var tools = await client.CallAsync("tools/list");

        Assert.NotEmpty(tools["tools"]!.AsArray());
    }
}
