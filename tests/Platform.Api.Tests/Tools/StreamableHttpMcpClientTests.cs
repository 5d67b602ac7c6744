using System.Net;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Platform.Api.Tests.Tools.Infrastructure;
using Platform.Api.Tools.Sessions;

namespace Platform.Api.Tests.Tools;

/// <summary>The pool's call-session client against the real McpHost and a scripted spec-compliant server.</summary>
public class StreamableHttpMcpClientTests
{
    private static readonly Implementation ClientInfo = new() { Name = "tests", Version = "1" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolCallsGetTheirAnswerWhetherTheServerRepliesWithSseOrJson(bool jsonResponses)
    {
        await using var server = McpHostInstance.Start(new Dictionary<string, string?> { ["McpHost:JsonResponses"] = jsonResponses ? "true" : "false" });
        using var http = new HttpClient();
        await using var client = await ConnectAsync(http, server.Endpoint);

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "6 * 7" });

        Assert.Contains(tools, t => t.Name == "evaluate_expression");
        Assert.Equal("42", result.StructuredContent!.Value.GetProperty("result").GetRawText());
        Assert.False(string.IsNullOrEmpty(client.SessionId));
        Assert.Equal("2025-11-25", client.NegotiatedProtocolVersion);
        Assert.NotNull(client.ServerCapabilities.Tools);
    }

    [Fact]
    public async Task AJsonRpcErrorIsAProtocolErrorAndTheSessionStaysUsable()
    {
        await using var server = McpHostInstance.Start();
        using var http = new HttpClient();
        await using var client = await ConnectAsync(http, server.Endpoint);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("no_such_tool").AsTask());
        var result = await client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "1 + 1" });

        Assert.False(McpFailure.IsSessionFailure(error));
        Assert.NotEqual(true, result.IsError);
        Assert.False(client.Completion.IsCompleted);
    }

    [Fact]
    public async Task ASessionTheServerForgotEndsTheClientWithA404ThatMeansTheCallNeverRan()
    {
        await using var server = McpHostInstance.Start();
        using var http = new HttpClient();
        await using var client = await ConnectAsync(http, server.Endpoint);

        await server.RestartAsync();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "1" }).AsTask());

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.True(McpFailure.IsSessionFailure(error));
        Assert.True(McpFailure.ServerNeverSawTheCall(error));
        var completion = Assert.IsType<HttpClientCompletionDetails>(await client.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(HttpStatusCode.NotFound, completion.HttpStatusCode);
    }

    [Fact]
    public async Task DisposingEndsTheSessionOnTheServer()
    {
        await using var server = McpHostInstance.Start();
        using var http = new HttpClient();
        var client = await ConnectAsync(http, server.Endpoint);
        var sessionId = client.SessionId;

        await client.DisposeAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", McpHostInstance.Token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(client.Completion.IsCompleted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ListToolsAsync().AsTask());
    }

    [Fact]
    public async Task NotificationsAndServerRequestsInsideAnSseReplyAreHandledBeforeTheReplyIsReturned()
    {
        await using var server = await ScriptedMcpServer.StartAsync();
        using var http = new HttpClient();
        await using var client = await StreamableHttpMcpClient.ConnectAsync(http, server.Endpoint, new Dictionary<string, string>(), ClientInfo, null, CancellationToken.None);
        var progress = new List<JsonNode?>();
        await using var registration = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (n, _) =>
        {
            progress.Add(n.Params);
            return ValueTask.CompletedTask;
        });

        var result = await client.CallToolAsync("anything");

        Assert.Equal("scripted answer", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Single(progress);
        var pingAnswer = Assert.Single(server.Received, m => m["id"]?.ToJsonString() == "\"server-ping-1\"");
        Assert.NotNull(pingAnswer["result"]);
        Assert.Contains(server.Received, m => (string?)m["method"] == "notifications/initialized");
    }

    private static Task<StreamableHttpMcpClient> ConnectAsync(HttpClient http, Uri endpoint) =>
        StreamableHttpMcpClient.ConnectAsync(http, endpoint,
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {McpHostInstance.Token}" }, ClientInfo, null, CancellationToken.None);
}
