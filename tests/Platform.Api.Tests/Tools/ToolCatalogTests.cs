using Platform.Api.Tests.Tools.Infrastructure;
using Platform.Testing;

namespace Platform.Api.Tests.Tools;

/// <summary>The catalog over two real McpHost instances (same tool names) and a real PostgreSQL database.</summary>
public class ToolCatalogTests
{
    [Fact]
    public async Task ToolsOfTwoServersWithTheSameNamesAreBothServedUnderDistinctNames()
    {
        await using var alpha = McpHostInstance.Start();
        await using var beta = McpHostInstance.Start();
        await using var host = await CatalogHost.CreateAsync(await SharedServers.CreateDatabaseAsync(),
            new Dictionary<string, Uri> { ["alpha"] = alpha.Endpoint, ["beta"] = beta.Endpoint });

        var snapshot = await host.Catalog.RefreshAsync(CancellationToken.None);

        Assert.True(snapshot.TryGetTool("alpha_evaluate_expression", out var onAlpha));
        Assert.True(snapshot.TryGetTool("beta_evaluate_expression", out var onBeta));
        Assert.Equal(("alpha", "evaluate_expression"), (onAlpha.ServerLabel, onAlpha.Name));
        Assert.Equal(("beta", "evaluate_expression"), (onBeta.ServerLabel, onBeta.Name));
        Assert.False(snapshot.TryGetTool("evaluate_expression", out _));
        Assert.Equal(snapshot.Tools.Count, snapshot.Tools.Select(t => t.ExposedName).Distinct().Count());
        Assert.All(snapshot.Tools, t => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", t.ExposedName));
        Assert.Equal(snapshot.Tools.Count(t => t.ServerLabel == "alpha"), snapshot.Tools.Count(t => t.ServerLabel == "beta"));
        Assert.All(snapshot.Servers.Values, s => Assert.True(s.Available));

        var result = await host.Pools.Get("beta").CallToolAsync("evaluate_expression",
            new Dictionary<string, object?> { ["expression"] = "6*7" }, idempotent: false, CancellationToken.None);
        Assert.Contains("42", string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)));
    }

    [Fact]
    public async Task AToolDisabledOnTheServerLeavesTheCatalogThroughListChangedAndComesBack()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CatalogHost.CreateAsync(await SharedServers.CreateDatabaseAsync(),
            new Dictionary<string, Uri> { ["mcphost"] = server.Endpoint });
        await host.Host.StartAsync(); // the refresher lists once, then waits an hour unless notified
        await host.WaitForAsync(s => s.Find("hash_text") is not null);

        await server.SetToolEnabledAsync("hash_text", enabled: false);
        var without = await host.WaitForAsync(s => s.Find("hash_text") is null);
        Assert.NotNull(without.Find("evaluate_expression"));

        await server.SetToolEnabledAsync("hash_text", enabled: true);
        await host.WaitForAsync(s => s.Find("hash_text") is not null);
    }

    [Fact]
    public async Task ARestartedCatalogServesThePersistedToolsWhileTheServersAreDown()
    {
        var database = await SharedServers.CreateDatabaseAsync();
        await using var server = McpHostInstance.Start();
        var servers = new Dictionary<string, Uri> { ["mcphost"] = server.Endpoint };
        int listed;
        await using (var first = await CatalogHost.CreateAsync(database, servers))
        {
            listed = (await first.Catalog.RefreshAsync(CancellationToken.None)).Tools.Count;
            Assert.True(listed > 0);
        }
        await server.StopAsync();

        await using var restarted = await CatalogHost.CreateAsync(database, servers);
        await restarted.Catalog.LoadPersistedAsync(CancellationToken.None);
        var warm = restarted.Catalog.Current;
        Assert.Equal(listed, warm.Tools.Count);
        Assert.NotNull(warm.Find("convert_units"));
        Assert.All(warm.Tools, t => Assert.NotNull(t.Embedding));
        // Annotations survive the restart, and with them the retry rule that depends on them.
        Assert.All(warm.Tools, t => Assert.True(t.Annotations?.ReadOnlyHint == true && t.Idempotent));

        var afterFailedListing = await restarted.Catalog.RefreshAsync(CancellationToken.None);
        Assert.Equal(listed, afterFailedListing.Tools.Count);
        Assert.All(afterFailedListing.Tools, t => Assert.False(t.Available));
        Assert.False(afterFailedListing.Servers["mcphost"].Available);
        Assert.NotNull(afterFailedListing.Servers["mcphost"].LastError);

        server.StartAgain();
        var back = await restarted.Catalog.RefreshAsync(CancellationToken.None);
        Assert.All(back.Tools, t => Assert.True(t.Available));
    }

    [Fact]
    public async Task AServerThatNeverAnswersDoesNotHoldBackTheOtherServersTools()
    {
        // Accepts connections and never answers: a hung server, the worst kind of down.
        using var hung = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        hung.Start();
        var held = new List<System.Net.Sockets.TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    held.Add(await hung.AcceptTcpClientAsync());
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
        await using var server = McpHostInstance.Start();
        var servers = new Dictionary<string, Uri>
        {
            ["mcphost"] = server.Endpoint,
            ["hung"] = new($"http://127.0.0.1:{((System.Net.IPEndPoint)hung.LocalEndpoint).Port}/mcp"),
        };
        await using var host = await CatalogHost.CreateAsync(await SharedServers.CreateDatabaseAsync(), servers,
            new Dictionary<string, string?> { ["Mcp:ListTimeout"] = "00:00:30", ["Mcp:Pool:ConnectTimeout"] = "00:00:30" });
        using var stop = new CancellationTokenSource();

        var refresh = host.Catalog.RefreshAsync(stop.Token);
        var first = await host.WaitForAsync(s => s.Find("convert_units") is not null, TimeSpan.FromSeconds(15));

        Assert.False(refresh.IsCompleted);
        Assert.False(first.Servers["hung"].Available);
        Assert.Equal("not listed yet", first.Servers["hung"].LastError);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refresh);
        hung.Stop();
        held.ForEach(c => c.Dispose());
    }
}
