using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using Platform.Api.Tools;
using Platform.Api.Tools.Sessions;
using Platform.ServiceDefaults.ServiceDiscovery;

namespace Platform.Benchmarks.Tools;

/// <summary>A pooled MCP tool call vs a new session per call, against McpHost on loopback (budget: pooled ≥ 5x faster at p50).</summary>
public sealed class McpPoolLoadBenchmark : ILoadBenchmark
{
    public string Name => "mcp-pool";
    public string Description => "evaluate_expression on McpHost (loopback): pooled sessions vs a fresh session per call, p50/p99.";

    public async Task<int> RunAsync(string[] args)
    {
        var seconds = args is [var s, ..] && int.TryParse(s, out var parsed) ? parsed : 4;
        await using var mcpHost = await BenchMcpHost.StartAsync();
        await using var services = BuildServices(mcpHost.Endpoint);
        var factory = services.GetRequiredService<McpClientFactory>();
        var pool = services.GetRequiredService<McpSessionPools>().Get("mcphost");
        var arguments = new Dictionary<string, object?> { ["expression"] = "(2 + 3) * 4" };

        // Warm-up: JIT, connections, one session.
        for (var i = 0; i < 200; i++)
        {
            await pool.CallToolAsync("evaluate_expression", arguments, idempotent: false, CancellationToken.None);
        }
        await using (var warm = await factory.CreateAsync("mcphost", null, CancellationToken.None))
        {
            await warm.CallToolAsync("evaluate_expression", arguments);
        }

        var pooled = await MeasureAsync(seconds, 20_000, 1, async () =>
            await pool.CallToolAsync("evaluate_expression", arguments, idempotent: false, CancellationToken.None));
        var fresh = await MeasureAsync(seconds, 2_000, 1, async () =>
        {
            await using var client = await factory.CreateAsync("mcphost", null, CancellationToken.None);
            await client.CallToolAsync("evaluate_expression", arguments);
        });
        var freshConnection = await MeasureAsync(seconds, 2_000, 1, async () =>
        {
            // What the platform replaced: a new HttpClient (so a new TCP connection) and a new session for every call.
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = mcpHost.Endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                EnableStandaloneGetStream = false,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {BenchMcpHost.Token}" },
            });
            await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
            await client.CallToolAsync("evaluate_expression", arguments);
        });
        var pooled8 = await MeasureAsync(seconds, 40_000, 8, async () =>
            await pool.CallToolAsync("evaluate_expression", arguments, idempotent: false, CancellationToken.None));

        Console.WriteLine("| case | calls | p50 ms | p99 ms | calls/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Row("pooled session, 1 caller", pooled);
        Row("new session per call (initialize + call + DELETE), 1 caller", fresh);
        Row("new HttpClient + new session per call, 1 caller", freshConnection);
        Row("pooled sessions, 8 concurrent callers", pooled8);
        var statistics = pool.Statistics;
        Console.WriteLine();
        Console.WriteLine($"p50 ratio vs pooled: new session {P(fresh.Samples, 0.5) / P(pooled.Samples, 0.5):0.0}x, new connection + session {P(freshConnection.Samples, 0.5) / P(pooled.Samples, 0.5):0.0}x; pool opened {statistics.Created} sessions for {statistics.Created + statistics.Reused:N0} calls (bound {services.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpOptions>>().Value.Pool.MaxSessionsPerServer}).");
        return 0;
    }

    private static ServiceProvider BuildServices(Uri endpoint)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mcp:Servers:mcphost:Endpoint"] = endpoint.ToString(),
            ["Mcp:Servers:mcphost:Token"] = BenchMcpHost.Token,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddMetrics();
        services.AddServiceDiscovery();
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<McpMetrics>();
        services.AddSingleton<McpClientFactory>();
        services.AddSingleton<McpSessionPools>();
        return services.BuildServiceProvider();
    }

    private sealed record Result(double[] Samples, double Seconds);

    private static async Task<Result> MeasureAsync(int seconds, int maxCalls, int concurrency, Func<Task> call)
    {
        var samples = new List<double>[concurrency];
        var deadline = Stopwatch.StartNew();
        var perWorker = maxCalls / concurrency;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = samples[w] = new List<double>(perWorker);
            while (mine.Count < perWorker && deadline.Elapsed.TotalSeconds < seconds)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var all = samples.SelectMany(s => s).ToArray();
        Array.Sort(all);
        return new Result(all, deadline.Elapsed.TotalSeconds);
    }

    private static void Row(string name, Result result) =>
        Console.WriteLine($"| {name} | {result.Samples.Length:N0} | {P(result.Samples, 0.5):0.000} | {P(result.Samples, 0.99):0.000} | {result.Samples.Length / result.Seconds:N0} |");

    private static double P(double[] sorted, double p) => ToolSearchLoadBenchmark.Percentile(sorted, p);
}
