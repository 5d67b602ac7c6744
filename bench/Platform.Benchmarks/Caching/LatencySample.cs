using System.Diagnostics;

namespace Platform.Benchmarks.Caching;

/// <summary>Latencies of a bounded run (count and time), with percentiles.</summary>
internal sealed record LatencySample(double P50Ms, double P90Ms, double P99Ms, int Count)
{
    public static async Task<LatencySample> MeasureAsync(int concurrency, int calls, TimeSpan timeLimit, Func<int, Task> call)
    {
        var latencies = new double[calls];
        var next = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeLimit.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < calls && Stopwatch.GetTimestamp() < deadline)
            {
                var begin = Stopwatch.GetTimestamp();
                await call(index);
                latencies[index] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }
        }));
        var done = latencies.Where(l => l > 0).Order().ToArray();
        return new LatencySample(Percentile(done, 0.50), Percentile(done, 0.90), Percentile(done, 0.99), done.Length);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
