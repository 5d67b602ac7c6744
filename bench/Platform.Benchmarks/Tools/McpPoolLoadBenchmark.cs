using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using Platform.Api.Tools;
using Platform.Api.Tools.Sessions;

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

        using var raw = await RawMcpCaller.OpenAsync(mcpHost.Endpoint, BenchMcpHost.Token);
        await using var sdkSession = await factory.CreateAsync("mcphost", null, CancellationToken.None);
        // As the gateway does: the catalog's definition in the session's tool cache (McpToolInvoker passes it to the pool).
        var schema = (await sdkSession.ListToolsAsync()).Single(t => t.Name == "evaluate_expression").ProtocolTool.InputSchema;
        var cases = new LatencyCase[]
        {
            new("pooled session, SDK client (the gateway's path)", 200, async () =>
                await pool.CallToolAsync("evaluate_expression", arguments, idempotent: false, CancellationToken.None, schema)),
            new("one open session, SDK client (HttpClientTransport, shared HttpClient, no GET stream)", 200, async () =>
                await sdkSession.CallToolAsync("evaluate_expression", arguments)),
            new("new session per call, SDK client on the shared HttpClient (initialize + initialized + call + DELETE)", 40, async () =>
            {
                await using var client = await factory.CreateAsync("mcphost", null, CancellationToken.None);
                await client.CallToolAsync("evaluate_expression", arguments);
            }),
            new("new session per call, SDK client as a client without a pool opens one (own HttpClient, GET stream)", 40, async () =>
            {
                using var http = new HttpClient();
                http.DefaultRequestHeaders.Authorization = new("Bearer", BenchMcpHost.Token);
                await using var client = await McpClient.CreateAsync(
                    new HttpClientTransport(new HttpClientTransportOptions { Endpoint = mcpHost.Endpoint }, http),
                    new McpClientOptions { ProtocolVersion = "2025-11-25" });
                await client.CallToolAsync("evaluate_expression", arguments);
            }),
            new("floor: bare HTTP POST of tools/call on one open session", 200, raw.CallAsync),
        };

        // Warm by time, not by count: tiered compilation keeps optimising in the background for seconds.
        // Then rounds interleave the cases so GC and background load touch each one alike.
        foreach (var record in new[] { false, true })
        {
            var clock = Stopwatch.StartNew();
            for (var round = 0; clock.Elapsed.TotalSeconds < (record ? seconds : 4) || round < 3; round++)
            {
                foreach (var @case in cases)
                {
                    await @case.RunAsync(record);
                }
            }
        }
        var pooled8 = await MeasureConcurrentAsync(seconds, 40_000, 8, async () =>
            await pool.CallToolAsync("evaluate_expression", arguments, idempotent: false, CancellationToken.None, schema));

        Console.WriteLine("| case, 1 caller unless stated | calls | p50 ms | p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var @case in cases)
        {
            Row(@case.Name, @case.Sorted());
        }
        Row("pooled sessions, 8 concurrent callers", pooled8);
        var pooled = P(cases[0].Sorted(), 0.5);
        var statistics = pool.Statistics;
        Console.WriteLine();
        double P50(int i) => P(cases[i].Sorted(), 0.5);
        Console.WriteLine($"p50 ratios: SDK client on an open session / bare POST {P50(1) / P50(4):0.00}x; " +
            $"new session / pooled: shared HttpClient {P50(2) / pooled:0.0}x, own HttpClient and GET stream {P50(3) / pooled:0.0}x; " +
            $"pool opened {statistics.Created} sessions for {statistics.Created + statistics.Reused:N0} calls (bound {services.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpOptions>>().Value.Pool.MaxSessionsPerServer}).");
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
        services.AddMcpHttpClient();
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<McpMetrics>();
        services.AddSingleton<McpClientFactory>();
        services.AddSingleton<McpSessionPools>();
        return services.BuildServiceProvider();
    }

    private sealed class LatencyCase(string name, int callsPerRound, Func<Task> call)
    {
        private readonly List<double> _samples = [];

        public string Name => name;

        public async Task RunAsync(bool record)
        {
            for (var i = 0; i < callsPerRound; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                if (record)
                {
                    _samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        public double[] Sorted() => [.. _samples.Order()];
    }

    private static async Task<double[]> MeasureConcurrentAsync(int seconds, int maxCalls, int concurrency, Func<Task> call)
    {
        var samples = new List<double>[concurrency];
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = samples[w] = new List<double>(maxCalls / concurrency);
            while (mine.Count < maxCalls / concurrency && deadline.Elapsed.TotalSeconds < seconds)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        return [.. samples.SelectMany(s => s).Order()];
    }

    private static void Row(string name, double[] sorted) =>
        Console.WriteLine($"| {name} | {sorted.Length:N0} | {P(sorted, 0.5):0.000} | {P(sorted, 0.99):0.000} |");

    private static double P(double[] sorted, double p) => ToolSearchLoadBenchmark.Percentile(sorted, p);
}
