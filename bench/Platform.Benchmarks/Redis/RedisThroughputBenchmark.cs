using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Redis;
using Platform.Testing;

namespace Platform.Benchmarks.Redis;

/// <summary>
/// Throughput of Platform.Redis on one multiplexed connection against redis-benchmark on the same
/// private redis-server: pipelined SET/GET/XADD from many concurrent callers, and XADD awaited one by one.
/// </summary>
public sealed partial class RedisThroughputBenchmark : ILoadBenchmark
{
    private const int Callers = 64;
    private const int MaximumOperations = 2_000_000;

    public string Name => "redis-throughput";

    public string Description => "Platform.Redis pipelined SET/GET/XADD and sequential XADD vs redis-benchmark (args: [seconds per case, default 3])";

    public async Task<int> RunAsync(string[] args)
    {
        var seconds = args is [var first, ..] ? double.Parse(first, CultureInfo.InvariantCulture) : 3;
        var duration = TimeSpan.FromSeconds(seconds);
        await using var server = await RedisServer.LaunchAsync();
        await using var redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var value = new byte[3];
        "xxx"u8.CopyTo(value);
        KeyValuePair<string, ReadOnlyMemory<byte>>[] fields = [new("field", value)];

        // Warm-up so that every case runs fully JIT-optimised code.
        await RunCallersAsync(Callers, TimeSpan.FromSeconds(1), i => redis.SetAsync("key:" + (i & 1023), value));
        await RunCallersAsync(Callers, TimeSpan.FromSeconds(1), i => redis.GetAsync("key:" + (i & 1023)));
        await RunCallersAsync(Callers, TimeSpan.FromSeconds(1), _ => redis.XAddAsync("bench:stream", fields));
        await redis.DeleteAsync(["bench:stream"]);
        var ours = new List<(string Case, double OpsPerSecond, string Reference, double? ReferenceOpsPerSecond)>();

        var set = await RunCallersAsync(Callers, duration, i => redis.SetAsync("key:" + (i & 1023), value));
        var get = await RunCallersAsync(Callers, duration, i => redis.GetAsync("key:" + (i & 1023)));
        var xadd = await RunCallersAsync(Callers, duration, _ => redis.XAddAsync("bench:stream", fields));
        await redis.DeleteAsync(["bench:stream"]);
        var sequential = await RunCallersAsync(1, duration, _ => redis.XAddAsync("bench:stream", fields));
        await redis.DeleteAsync(["bench:stream"]);

        var requests = ((int)Math.Max(set, get) * seconds).ToString("0", CultureInfo.InvariantCulture);
        var referenceSetGet = await RedisBenchmarkAsync(server.Port, "-P", "16", "-t", "set,get", "-q", "-n", Clamp(requests));
        var referenceXadd = await RedisBenchmarkAsync(server.Port, "-P", "16", "-q", "-n", Clamp((xadd * seconds).ToString("0", CultureInfo.InvariantCulture)), "XADD", "bench:ref", "*", "field", "xxx");
        var referenceSequential = await RedisBenchmarkAsync(server.Port, "-c", "1", "-P", "1", "-q", "-n", Clamp((sequential * seconds).ToString("0", CultureInfo.InvariantCulture)), "XADD", "bench:ref1", "*", "field", "xxx");

        ours.Add(($"SET, {Callers} concurrent callers, one connection", set, "redis-benchmark -P 16 -t set", referenceSetGet.GetValueOrDefault("SET")));
        ours.Add(($"GET, {Callers} concurrent callers, one connection", get, "redis-benchmark -P 16 -t get", referenceSetGet.GetValueOrDefault("GET")));
        ours.Add(($"XADD, {Callers} concurrent callers, one connection", xadd, "redis-benchmark -P 16 XADD", referenceXadd.Values.FirstOrDefault()));
        ours.Add(("XADD awaited one by one", sequential, "redis-benchmark -c 1 -P 1 XADD", referenceSequential.Values.FirstOrDefault()));

        Console.WriteLine();
        Console.WriteLine($"redis-server 127.0.0.1:{server.Port}, {seconds:0.#} s per case, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| case | Platform.Redis ops/s | reference | reference ops/s | ratio |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: |");
        foreach (var (name, opsPerSecond, reference, referenceOpsPerSecond) in ours)
        {
            var ratio = referenceOpsPerSecond is > 0 ? (opsPerSecond / referenceOpsPerSecond.Value).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
            Console.WriteLine($"| {name} | {opsPerSecond:N0} | {reference} | {referenceOpsPerSecond:N0} | {ratio} |");
        }
        return 0;
    }

    private static string Clamp(string requests) =>
        Math.Clamp(long.Parse(requests, CultureInfo.InvariantCulture), 10_000, MaximumOperations).ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="callers"/> loops that each await one command at a time; returns completed commands per second.</summary>
    private static async Task<double> RunCallersAsync(int callers, TimeSpan duration, Func<int, Task> operation)
    {
        var completed = 0L;
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var done = 0L;
            for (var i = caller; watch.Elapsed < duration && Interlocked.Read(ref completed) + done < MaximumOperations; i += callers)
            {
                await operation(i);
                done++;
            }
            Interlocked.Add(ref completed, done);
        }));
        await Task.WhenAll(loops);
        return completed / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs redis-benchmark and reads "NAME: 123.45 requests per second" lines.</summary>
    private static async Task<Dictionary<string, double>> RedisBenchmarkAsync(int port, params string[] arguments)
    {
        var executable = ServerProcess.FindExecutable("redis-benchmark", "/usr/bin");
        var (exitCode, output) = await ServerProcess.RunAsync(executable, ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. arguments], TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            Console.Error.WriteLine($"redis-benchmark failed ({exitCode}): {output}");
            return [];
        }
        var results = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in RequestsPerSecond().Matches(output))
        {
            results[match.Groups["name"].Value.Trim()] = double.Parse(match.Groups["rate"].Value, CultureInfo.InvariantCulture);
        }
        return results;
    }

    [GeneratedRegex(@"(?<name>[^\r\n:]+):\s*(?<rate>[0-9.]+) requests per second")]
    private static partial Regex RequestsPerSecond();
}
