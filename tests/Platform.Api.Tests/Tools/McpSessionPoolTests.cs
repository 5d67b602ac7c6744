using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Platform.Api.Tests.Tools.Infrastructure;
using Platform.Api.Tools.Sessions;
using Platform.Testing;

namespace Platform.Api.Tests.Tools;

/// <summary>The session pool against a real McpHost.</summary>
public class McpSessionPoolTests
{
    [Fact]
    public async Task SequentialCallsReuseOneSession()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CreateHostAsync(server, maxSessions: 4);
        var pool = host.Pools.Get("mcphost");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"{i + 1}", await EvaluateAsync(pool, $"{i} + 1"));
        }

        var statistics = pool.Statistics;
        Assert.Equal(1, statistics.Created);
        Assert.Equal(19, statistics.Reused);
        Assert.Equal(1, statistics.Open);
    }

    [Fact]
    public async Task ConcurrentCallsShareABoundedSetOfSessionsAndAllGetTheirOwnAnswer()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CreateHostAsync(server, maxSessions: 2, callsPerSession: 1);
        var pool = host.Pools.Get("mcphost");

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => EvaluateAsync(pool, $"{i} * 3")));

        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"{i * 3}"), answers);
        var statistics = pool.Statistics;
        Assert.InRange(statistics.Created, 1, 2);
        Assert.InRange(statistics.Open, 1, 2);
        Assert.Equal(60 - statistics.Created, statistics.Reused);
        Assert.Equal(0, statistics.InFlight);
    }

    [Fact]
    public async Task ThePoolReplacesItsSessionWhenTheServerRestartsAndCallersDoNotNotice()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CreateHostAsync(server, maxSessions: 2);
        var pool = host.Pools.Get("mcphost");
        Assert.Equal("2", await EvaluateAsync(pool, "1 + 1"));

        await server.RestartAsync(); // same port, sessions forgotten: the next call gets 404 and is retried on a new session

        Assert.Equal("4", await EvaluateAsync(pool, "2 + 2"));
        var statistics = pool.Statistics;
        Assert.Equal(2, statistics.Created);
        Assert.True(statistics.Failed >= 1);
    }

    [Fact]
    public async Task TrafficRunningThroughAServerRestartRecoversAndNeverExceedsTheBound()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CreateHostAsync(server, maxSessions: 3, callsPerSession: 2);
        var pool = host.Pools.Get("mcphost");
        using var stop = new CancellationTokenSource();
        var maxOpen = 0;

        async Task<(int Ok, int Failed)> WorkerAsync(int id)
        {
            var (ok, failed) = (0, 0);
            for (var i = 0; !stop.IsCancellationRequested && i < 5_000; i++)
            {
                try
                {
                    Assert.Equal($"{id + i}", await EvaluateAsync(pool, $"{id} + {i}"));
                    ok++;
                }
                catch (Exception ex) when (McpFailure.IsSessionFailure(ex))
                {
                    failed++; // calls while the server is down fail fast; they must not hang
                }
                InterlockedMax(ref maxOpen, pool.Statistics.Open);
            }
            return (ok, failed);
        }

        var workers = Enumerable.Range(0, 6).Select(WorkerAsync).ToArray();
        await Task.Delay(300);
        await server.StopAsync();
        await Task.Delay(300);
        server.StartAgain();
        await Task.Delay(500);
        var afterRestart = pool.Statistics.Created;
        await Task.Delay(300);
        stop.Cancel();
        var results = await Task.WhenAll(workers);

        Assert.True(results.Sum(r => r.Ok) > 0);
        Assert.InRange(maxOpen, 1, 3);
        Assert.Equal("10", await EvaluateAsync(pool, "5 * 2"));
        Assert.True(afterRestart >= 2, "sessions were replaced after the restart");
    }

    [Fact]
    public async Task AServerConfiguredForTheSessionlessRevisionIsCalledWithoutASession()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CreateHostAsync(server, maxSessions: 2, protocolVersion: "2026-07-28");
        var pool = host.Pools.Get("mcphost");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => EvaluateAsync(pool, $"{i} + 100")));
        await using var client = await host.Host.Services.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(100, 10).Select(i => $"{i}"), answers);
        Assert.Null(client.SessionId);
        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
    }

    [Fact]
    public async Task PooledCallSessionsOpenNoGetStream()
    {
        await using var server = McpHostInstance.Start();
        await using var host = await CreateHostAsync(server, maxSessions: 1);

        await using var client = await host.Host.Services.GetRequiredService<McpClientFactory>().CreateAsync("mcphost", null, CancellationToken.None);
        var result = await client.CallToolAsync("evaluate_expression", new Dictionary<string, object?> { ["expression"] = "1 + 2" });

        Assert.False(string.IsNullOrEmpty(client.SessionId));
        Assert.Equal(0, server.GetStreamsOpened);
        Assert.Equal("3", result.StructuredContent!.Value.GetProperty("result").GetRawText());
    }

    private static async Task<CatalogHost> CreateHostAsync(McpHostInstance server, int maxSessions, int callsPerSession = 16, string? protocolVersion = null) =>
        await CatalogHost.CreateAsync(await SharedServers.CreateDatabaseAsync(), new Dictionary<string, Uri> { ["mcphost"] = server.Endpoint },
            new Dictionary<string, string?>
            {
                ["Mcp:Pool:MaxSessionsPerServer"] = $"{maxSessions}",
                ["Mcp:Pool:CallsPerSession"] = $"{callsPerSession}",
                ["Mcp:Servers:mcphost:ProtocolVersion"] = protocolVersion ?? "2025-11-25",
            });

    private static async Task<string> EvaluateAsync(McpSessionPool pool, string expression)
    {
        var result = await pool.CallToolAsync("evaluate_expression",
            new Dictionary<string, object?> { ["expression"] = expression }, idempotent: false, CancellationToken.None);
        Assert.NotEqual(true, result.IsError);
        var structured = result.StructuredContent!.Value;
        return structured.GetProperty("result").GetRawText();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
