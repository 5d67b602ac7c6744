using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.McpHost.Tests.Infrastructure;
using Platform.McpHost.Transport;

namespace Platform.McpHost.Tests;

public sealed class SessionLifetimeTests(SessionLifetimeTests.SmallServer server) : IClassFixture<SessionLifetimeTests.SmallServer>
{
    /// <summary>A host with room for only a few sessions.</summary>
    public sealed class SmallServer : McpHostServer
    {
        public const int MaxSessions = 3;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["McpHost:MaxSessions"] = MaxSessions.ToString(),
        };
    }

    private McpSessionStore Store => server.Services.GetRequiredService<McpSessionStore>();

    [Fact]
    public async Task SessionIdleLongerThanTheTimeoutIsClosedAndThenAnswered404()
    {
        var idle = new RawMcpClient(server.CreateHttpClient());
        await idle.InitializeAsync();
        using var metrics = new MetricCollector("mcphost.sessions.expired");

        await Store.PruneIdleSessionsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(11));
        var (response, _) = await idle.SendAsync(idle.Request("tools/list"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(metrics.Total >= 1);
    }

    [Fact]
    public async Task SessionWhoseClientOnlyListensOnItsGetStreamStillExpiresAndTheStreamEnds()
    {
        using var http = server.CreateHttpClient();
        var listener = new RawMcpClient(http);
        await listener.InitializeAsync();
        using var stream = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, listener.SessionId), HttpCompletionOption.ResponseHeadersRead);
        var streamBody = stream.Content.ReadAsStringAsync();

        await Store.PruneIdleSessionsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(11));
        await streamBody.WaitAsync(TimeSpan.FromSeconds(10));
        var (response, _) = await listener.SendAsync(listener.Request("tools/list"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SessionUsedWithinTheTimeoutSurvivesCleanup()
    {
        var active = new RawMcpClient(server.CreateHttpClient());
        await active.InitializeAsync();

        await Store.PruneIdleSessionsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(9));
        var tools = await active.CallAsync("tools/list");

        Assert.NotEmpty(tools["tools"]!.AsArray());
    }

    [Fact]
    public async Task PastTheSessionLimitTheLeastRecentlyUsedIdleSessionIsClosed()
    {
        var clients = new List<RawMcpClient>();
        for (var i = 0; i < SmallServer.MaxSessions + 1; i++)
        {
            var client = new RawMcpClient(server.CreateHttpClient());
            await client.InitializeAsync();
            clients.Add(client);
            await Task.Delay(5); // distinct last-activity times
        }

        var (oldest, _) = await clients[0].SendAsync(clients[0].Request("tools/list"));
        var (newest, _) = await clients[^1].SendAsync(clients[^1].Request("tools/list"));

        Assert.Equal(HttpStatusCode.NotFound, oldest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
        Assert.True(Store.Count <= SmallServer.MaxSessions);
        using var health = await server.CreateHttpClient().GetAsync("/health");
        Assert.Contains("\"mcp-sessions\":{\"status\":\"Degraded\"", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConcurrentCallsOnOneSessionAreEachAnsweredWithTheirOwnResult()
    {
        await using var client = await server.ConnectAsync();

        var calls = Enumerable.Range(1, 40).Select(async i =>
        {
            var result = await client.CallToolAsync("evaluate_expression", ToolCallTests.Arguments($$"""{"expression":"{{i}} * 1000 + {{i}}"}"""));
            return (Expected: i * 1001.0, Actual: result.StructuredContent!.Value.GetProperty("result").GetDouble());
        });
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(r.Expected, r.Actual));
    }
    [Fact]
    public async Task InitializeRequestsRacingAtTheSessionLimitAreAllAnsweredRatherThanEvictedBeforeTheyRun()
    {
        var initializes = Enumerable.Range(0, 4 * SmallServer.MaxSessions).Select(async _ =>
        {
            var client = new RawMcpClient(server.CreateHttpClient());
            var (response, _) = await client.SendAsync(client.Request("initialize", new System.Text.Json.Nodes.JsonObject
            {
                ["protocolVersion"] = RawMcpClient.ProtocolVersion,
                ["capabilities"] = new System.Text.Json.Nodes.JsonObject(),
                ["clientInfo"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "race", ["version"] = "1.0" },
            }), includeProtocolVersion: false);
            return response.StatusCode;
        });

        var statuses = await Task.WhenAll(initializes);

        // Each initialize either gets its session or, when every session is busy, a 503; never a 404.
        Assert.DoesNotContain(HttpStatusCode.NotFound, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    [Fact]
    public async Task SessionThatARequestHoldsCannotBeClosedAsIdleAndOneClosingAsIdleAdmitsNoRequest()
    {
        await using var session = server.Services.GetRequiredService<McpSessionFactory>().Create();

        var inFlight = session.TryAcquire(TimeProvider.System);
        Assert.NotNull(inFlight);
        Assert.False(session.TryBeginCloseIfIdle(DateTimeOffset.MaxValue));

        inFlight.Dispose();
        Assert.True(session.TryBeginCloseIfIdle(DateTimeOffset.MaxValue));
        Assert.Null(session.TryAcquire(TimeProvider.System));
    }

    [Fact]
    public async Task ExpiryRacingWithRequestsNeverClosesASessionWhileARequestHoldsIt()
    {
        var store = Store;
        for (var round = 0; round < 20; round++)
        {
            var client = new RawMcpClient(server.CreateHttpClient());
            await client.InitializeAsync();
            Assert.True(store.TryGet(client.SessionId!, out var session));

            var requests = Task.Run(() =>
            {
                for (var i = 0; i < 200; i++)
                {
                    using var handle = session.TryAcquire(TimeProvider.System);
                    if (handle is null)
                    {
                        return;
                    }
                    // While the handle is held the session must stay open.
                    Assert.False(session.IsClosed);
                    Thread.SpinWait(50);
                    Assert.False(session.IsClosed);
                }
            });
            var prune = Task.Run(async () =>
            {
                while (!requests.IsCompleted && await store.PruneIdleSessionsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(11)) == 0)
                {
                }
            });
            await Task.WhenAll(requests, prune);
        }
    }
}
