using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using Platform.Api.Tests.Tools.Infrastructure;
using Platform.Api.Tools;
using Platform.Api.Tools.Sessions;

namespace Platform.Api.Tests.Tools;

/// <summary>The SDK client sessions the pool holds, against the real McpHost: what the pool relies on when a call fails.</summary>
public class McpClientFactoryTests
{
    [Fact]
    public async Task AJsonRpcErrorIsAProtocolErrorAndTheSessionStaysUsable()
    {
        await using var server = McpHostInstance.Start();
        await using var services = CreateServices(server.Endpoint);
        await using var client = await services.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("no_such_tool").AsTask());
        var result = await client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "1 + 1" });

        Assert.False(McpFailure.IsSessionFailure(error));
        Assert.NotEqual(true, result.IsError);
        Assert.False(client.Completion.IsCompleted);
    }

    [Fact]
    public async Task ASessionTheServerForgotIsASessionFailureWhoseCallNeverRan()
    {
        await using var server = McpHostInstance.Start();
        await using var services = CreateServices(server.Endpoint);
        await using var client = await services.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);

        await server.RestartAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "1" }).AsTask());

        Assert.True(McpFailure.IsSessionFailure(error), error.ToString());
        Assert.True(McpFailure.ServerNeverSawTheCall(error), error.ToString());
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DisposingEndsTheSessionOnTheServer()
    {
        await using var server = McpHostInstance.Start();
        await using var services = CreateServices(server.Endpoint);
        var client = await services.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);
        var sessionId = client.SessionId;

        await client.DisposeAsync();

        using var http = new HttpClient();
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
    }

    [Fact]
    public async Task AServerTokenFromConfigurationIsSentAsABearerAndAWrongOneIsRefused()
    {
        await using var server = McpHostInstance.Start();
        await using var good = CreateServices(server.Endpoint);
        await using var bad = CreateServices(server.Endpoint, token: "not-the-token");

        await using var client = await good.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => bad.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None));

        Assert.NotNull(client.SessionId);
        Assert.Contains("401", refused.ToString());
    }

    [Fact]
    public async Task HeadersFromAServersConfigurationAreSentWithEveryRequest()
    {
        await using var server = McpHostInstance.Start();
        await using var services = CreateServices(server.Endpoint, settings: new Dictionary<string, string?>
        {
            [$"Mcp:Servers:mcphost:Headers:{McpHostInstance.TracedHeader}"] = "from-configuration",
        });

        await using var client = await services.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);
        await client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "1" });

        Assert.Equal("from-configuration", server.LastTracedHeader);
    }

    internal static ServiceProvider CreateServices(Uri endpoint, string token = McpHostInstance.Token, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Mcp:Servers:mcphost:Endpoint"] = endpoint.ToString(),
            ["Mcp:Servers:mcphost:Token"] = token,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddMcpHttpClient();
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.SectionName));
        services.AddSingleton<McpClientFactory>();
        return services.BuildServiceProvider();
    }
}
