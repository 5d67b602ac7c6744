using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

public sealed class SessionLifetimeTests(SessionLifetimeTests.SmallServer server) : IClassFixture<SessionLifetimeTests.SmallServer>
{
    /// <summary>A host that keeps only two idle sessions.</summary>
    public sealed class SmallServer : McpHostServer
    {
        public const int MaxIdleSessions = 2;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["McpHost:MaxSessions"] = "50",
            ["McpHost:MaxIdleSessions"] = MaxIdleSessions.ToString(),
        };
    }

    [Fact]
    public async Task PastTheIdleLimitTheLeastRecentlyUsedIdleSessionIsClosed()
    {
        var clients = new List<RawMcpClient>();
        for (var i = 0; i < SmallServer.MaxIdleSessions + 1; i++)
        {
            var client = new RawMcpClient(server.CreateHttpClient());
            await client.InitializeAsync();
            clients.Add(client);
            server.Time.Advance(TimeSpan.FromMilliseconds(10)); // distinct last-activity times
        }

        var (oldest, _) = await clients[0].SendAsync(clients[0].Request("tools/list"));
        var (newest, _) = await clients[^1].SendAsync(clients[^1].Request("tools/list"));

        Assert.Equal(HttpStatusCode.NotFound, oldest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
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

    internal static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(200);
        }
    }
}

public sealed class SessionLimitTests(SessionLimitTests.FullServer server) : IClassFixture<SessionLimitTests.FullServer>
{
    /// <summary>Room for two sessions in all.</summary>
    public sealed class FullServer : McpHostServer
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["McpHost:MaxSessions"] = "2",
            ["McpHost:MaxIdleSessions"] = "1",
        };
    }

    [Fact]
    public async Task WhenEverySessionIsBusyInitializeIsAnswered503UntilOneEnds()
    {
        using var http = server.CreateHttpClient();
        var busy = new List<(RawMcpClient Client, HttpResponseMessage Stream)>();
        try
        {
            // An open GET stream keeps a session busy, so the idle limit cannot close it.
            for (var i = 0; i < 2; i++)
            {
                var client = new RawMcpClient(http);
                await client.InitializeAsync();
                busy.Add((client, await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, client.SessionId), HttpCompletionOption.ResponseHeadersRead)));
            }

            var refused = new RawMcpClient(http);
            var (full, _) = await refused.SendAsync(refused.Request("initialize", new JsonObject
            {
                ["protocolVersion"] = RawMcpClient.ProtocolVersion,
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "late", ["version"] = "1" },
            }), includeProtocolVersion: false);
            (await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Delete, busy[0].Client.SessionId))).Dispose();
            var late = new RawMcpClient(http);
            var admitted = await late.InitializeAsync();
            busy.Add((late, new HttpResponseMessage()));
            using var health = await http.GetAsync("/health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
            Assert.NotNull(full.Headers.RetryAfter);
            Assert.NotNull(admitted["serverInfo"]);
            Assert.Contains("\"mcp-sessions\":{\"status\":\"Degraded\"", await health.Content.ReadAsStringAsync());
        }
        finally
        {
            await EndAsync(http, busy);
        }
    }

    [Fact]
    public async Task SessionlessRequestsTakeNoSlotAndEndedSessionsGiveTheirsBack()
    {
        using var http = server.CreateHttpClient();
        for (var i = 0; i < 5; i++)
        {
            var client = new RawMcpClient(http);
            await client.InitializeAsync();
            (await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Delete, client.SessionId))).Dispose();
        }
        await using (var sessionless = await server.ConnectAsync(new ModelContextProtocol.Client.McpClientOptions()))
        {
            for (var i = 0; i < 5; i++)
            {
                await sessionless.CallToolAsync("hash_text", ToolCallTests.Arguments("""{"text":"x"}"""));
            }
        }

        var busy = new List<(RawMcpClient Client, HttpResponseMessage Stream)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var client = new RawMcpClient(http);
                await client.InitializeAsync();
                busy.Add((client, await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, client.SessionId), HttpCompletionOption.ResponseHeadersRead)));
            }
            var third = new RawMcpClient(http);
            var (full, _) = await third.SendAsync(third.Request("initialize", new JsonObject
            {
                ["protocolVersion"] = RawMcpClient.ProtocolVersion,
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "third", ["version"] = "1" },
            }), includeProtocolVersion: false);

            Assert.Equal(2, busy.Count);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        }
        finally
        {
            await EndAsync(http, busy);
        }
    }

    // Each test ends its sessions, so the next one starts with every slot free.
    private static async Task EndAsync(HttpClient http, List<(RawMcpClient Client, HttpResponseMessage Stream)> sessions)
    {
        foreach (var (client, stream) in sessions)
        {
            stream.Dispose();
            (await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Delete, client.SessionId))).Dispose();
        }
    }
}

/// <summary>Idle expiry, on a host of its own so that no other test's session expires or is evicted meanwhile.</summary>
public sealed class IdleExpiryTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    [Fact]
    public async Task SessionIdleLongerThanTheTimeoutIsClosedAndThenAnswered404WhileARecentlyUsedOneSurvives()
    {
        var idle = new RawMcpClient(server.CreateHttpClient());
        await idle.InitializeAsync();
        using var expired = new MetricCollector("mcphost.sessions.expired", server.Services.GetRequiredService<IMeterFactory>());

        server.Time.Advance(TimeSpan.FromMinutes(9));
        var active = new RawMcpClient(server.CreateHttpClient());
        await active.InitializeAsync();
        server.Time.Advance(TimeSpan.FromMinutes(2));

        // The SDK looks for idle sessions every 5 seconds; a request would count as activity, so watch the metric.
        await SessionLifetimeTests.PollAsync(() => Task.FromResult(expired.Total), total => total >= 1);
        var (afterExpiry, _) = await idle.SendAsync(idle.Request("ping"));
        var stillThere = await active.CallAsync("tools/list");

        Assert.Equal(HttpStatusCode.NotFound, afterExpiry.StatusCode);
        Assert.NotEmpty(stillThere["tools"]!.AsArray());
        Assert.True(expired.Total >= 1);
    }
}
