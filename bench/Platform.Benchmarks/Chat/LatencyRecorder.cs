using System.Diagnostics;

namespace Platform.Benchmarks.Chat;

/// <summary>Runs a bounded number of calls at a fixed concurrency and reports latency percentiles.</summary>
internal static class LatencyRecorder
{
    public sealed record Result(double P50Ms, double P99Ms, double RequestsPerSecond, int Count);

    public static async Task<Result> RunAsync(int concurrency, int totalCalls, TimeSpan timeLimit, Func<Task> call)
    {
        var latencies = new double[totalCalls];
        var next = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeLimit.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < totalCalls && Stopwatch.GetTimestamp() < deadline)
            {
                var begin = Stopwatch.GetTimestamp();
                await call();
                latencies[index] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }
        });
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var done = latencies.Where(l => l > 0).Order().ToArray();
        return new Result(Percentile(done, 0.50), Percentile(done, 0.99), done.Length / elapsed, done.Length);
    }

    /// <summary>Calls at concurrency 1 and 8 in turn until <paramref name="duration"/> has passed.</summary>
    public static async Task WarmAsync(TimeSpan duration, Func<Task> call)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            await RunAsync(8, 2000, duration, call);
            await RunAsync(1, 500, duration, call);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
