using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Benchmarks.Caching;
using Platform.Testing;
using Platform.Usage;
using Platform.Usage.Producer;
using StackExchange.Redis;

namespace Platform.Benchmarks.Usage;

/// <summary>
/// What <c>Usage:Durability</c> = acknowledged adds to a request: the wait in <see cref="IUsageSink.RecordAsync"/>
/// until the record is in the Redis stream (a private redis-server), at several concurrencies, next to the
/// queued hand-off the default pays. Concurrent callers share batches (group commit).
/// </summary>
public sealed class UsageDurabilityBenchmark : ILoadBenchmark
{
    public string Name => "usage-durability";

    public string Description => "Latency usage durability adds per request: queued vs acknowledged (args: [calls per case=20000])";

    public async Task<int> RunAsync(string[] args)
    {
        var calls = args is [var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        await using var redisServer = await RedisServer.LaunchAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.ConnectionString);
        var journal = Path.Combine(Path.GetTempPath(), "usage-durability-bench-" + Guid.NewGuid().ToString("N"));
        var metrics = new ServiceCollection().AddMetrics().AddSingleton<UsageMetrics>().BuildServiceProvider().GetRequiredService<UsageMetrics>();

        Console.WriteLine("| durability | concurrent callers | calls | p50 added | p90 | p99 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var durability in new[] { UsageDurability.Queued, UsageDurability.Acknowledged })
        {
            var options = new UsageProducerOptions { StreamName = "bench:durability", Durability = durability, JournalDirectory = journal };
            using var producer = new UsageProducer(redis, Options.Create(options), metrics, NullLogger<UsageProducer>.Instance);
            await producer.StartAsync(CancellationToken.None);
            await LatencySample.MeasureAsync(8, calls, TimeSpan.FromSeconds(10), _ => producer.RecordAsync(UsageThroughputBenchmark.Record(0)).AsTask()); // warm-up
            foreach (var concurrency in new[] { 1, 8, 32 })
            {
                var sample = await LatencySample.MeasureAsync(concurrency, calls, TimeSpan.FromSeconds(20), _ => producer.RecordAsync(UsageThroughputBenchmark.Record(0)).AsTask());
                Console.WriteLine($"| {durability} | {concurrency} | {sample.Count:N0} | {sample.P50Ms:0.000} ms | {sample.P90Ms:0.000} ms | {sample.P99Ms:0.000} ms |");
            }
            await producer.StopAsync(CancellationToken.None);
        }
        var journaled = Directory.Exists(journal) ? Directory.GetFiles(journal).Length : 0;
        Console.WriteLine($"Journal segments written: {journaled} (Redis was up throughout).");
        if (Directory.Exists(journal))
        {
            Directory.Delete(journal, recursive: true);
        }
        return 0;
    }
}
