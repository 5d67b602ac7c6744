using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Platform.Caching;
using Platform.Testing;

namespace Platform.Benchmarks.Caching;

/// <summary>
/// Response-cache latency through HTTP (two Api instances on real Kestrel ports, private Redis and
/// PostgreSQL, offline provider): L1 hit, L2 hit (second instance with cold memory), and the uncached
/// path for reference; then the hit rate of a replayed request mix with repeats. Budget: L1 hit p50 ≤ 0.5 ms.
/// Run: <c>dotnet run -c Release --project bench/Platform.Benchmarks -- cache-latency [calls]</c>
/// </summary>
public sealed class CacheLatencyBenchmark : ILoadBenchmark
{
    public string Name => "cache-latency";
    public string Description => "Response-cache L1/L2 hit latency through HTTP and hit rate of a replayed request mix.";

    public async Task<int> RunAsync(string[] args)
    {
        var calls = args is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 3000;
        await using var redis = await RedisServer.LaunchAsync();
        await using var postgres = await PostgresServer.LaunchAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["ConnectionStrings:platformdb"] = await postgres.CreateDatabaseAsync(),
            ["Providers:offline:Type"] = "offline",
            ["Providers:offline:Models:0"] = "offline",
            // The replayed prompts leave the temperature unset; the benchmark measures them as cacheable.
            ["ResponseCache:UnsetTemperatureIsDeterministic"] = "true",
            ["Usage:JournalDirectory"] = Path.Combine(Path.GetTempPath(), "cache-bench-journal-" + Guid.NewGuid().ToString("N")),
        };
        await using var first = await Chat.BenchApiHost.StartAsync(settings);
        await using var second = await Chat.BenchApiHost.StartAsync(settings);
        await first.Services.GetRequiredService<ClusteredHybridCache>().Initialization;
        await second.Services.GetRequiredService<ClusteredHybridCache>().Initialization;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        var client = new CacheBenchClient(http);

        // Warm-up: JIT, pools, the pipeline, on both instances.
        await LatencySample.MeasureAsync(4, 500, TimeSpan.FromSeconds(20), i => client.SendAsync(first.BaseUrl, $"warm {i % 50}"));
        await LatencySample.MeasureAsync(4, 500, TimeSpan.FromSeconds(20), i => client.SendAsync(second.BaseUrl, $"warm {i % 50}"));

        // Then by time on the measured paths: tiered compilation keeps replacing hot code for seconds.
        await Chat.LatencyRecorder.WarmAsync(TimeSpan.FromSeconds(8), () => client.SendAsync(first.BaseUrl, "warm 1", expect: "hit"));
        await Chat.LatencyRecorder.WarmAsync(TimeSpan.FromSeconds(3), () => client.SendAsync(first.BaseUrl, "warm 1", noStore: true, expect: "bypass"));

        var l1 = await LatencySample.MeasureAsync(1, calls, TimeSpan.FromSeconds(20), _ => client.SendAsync(first.BaseUrl, "warm 1", expect: "hit"));
        var l1Parallel = await LatencySample.MeasureAsync(8, calls, TimeSpan.FromSeconds(20), _ => client.SendAsync(first.BaseUrl, "warm 1", expect: "hit"));

        // L2: the first instance stores distinct answers; the second, whose memory has never seen them, reads each once.
        var l2Calls = Math.Min(calls, 1500);
        await LatencySample.MeasureAsync(4, l2Calls, TimeSpan.FromSeconds(60), i => client.SendAsync(first.BaseUrl, $"l2 {i}", expect: "miss"));
        var l2 = await LatencySample.MeasureAsync(1, l2Calls, TimeSpan.FromSeconds(20), i => client.SendAsync(second.BaseUrl, $"l2 {i}", expect: "hit"));
        var uncached = await LatencySample.MeasureAsync(1, l2Calls, TimeSpan.FromSeconds(20), i => client.SendAsync(first.BaseUrl, $"uncached {i}", noStore: true, expect: "bypass"));

        await InProcessCacheCost.MeasureAsync(first.Services.GetRequiredService<HybridCache>(), 2000);
        var (keyCost, hitCost) = await InProcessCacheCost.MeasureAsync(first.Services.GetRequiredService<HybridCache>(), 20000);

        var mix = await CacheBenchRequestMix.ReplayAsync(client, [first.BaseUrl, second.BaseUrl], requests: 3000, distinctPrompts: 200, seed: 42);

        Console.WriteLine($"cache-latency: Api x2 on 127.0.0.1 (Kestrel), offline provider, private redis-server and PostgreSQL, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| path | concurrency | calls | p50 ms | p90 ms | p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Row("L1 hit (x-cache: hit, same instance)", 1, l1);
        Row("L1 hit (x-cache: hit, same instance)", 8, l1Parallel);
        Row("L2 hit (second instance, cold memory)", 1, l2);
        Row("no cache (no-store, offline provider)", 1, uncached);
        Console.WriteLine();
        Console.WriteLine($"In process, no HTTP: response-cache key {keyCost:0.0} µs, L1 hit (lookup + ChatResponse copy) {hitCost:0.0} µs per call.");
        Console.WriteLine();
        Console.WriteLine($"L1 hit p50 budget 0.5 ms: {(l1.P50Ms <= 0.5 ? "met" : "NOT met")} ({l1.P50Ms:0.000} ms)");
        Console.WriteLine();
        mix.Print();
        return 0;
    }

    private static void Row(string path, int concurrency, LatencySample sample) =>
        Console.WriteLine($"| {path} | {concurrency} | {sample.Count} | {sample.P50Ms:0.000} | {sample.P90Ms:0.000} | {sample.P99Ms:0.000} |");
}
