using System.Diagnostics;
using Platform.Api.Tools.Search;

namespace Platform.Benchmarks.Tools;

/// <summary>Tool search over 10,000 tools, k = 8: one SIMD pass over the embedding matrix plus the lexical boost (budget p99 ≤ 2 ms).</summary>
public sealed class ToolSearchLoadBenchmark : ILoadBenchmark
{
    public string Name => "tool-search";
    public string Description => "Tool search over 10,000 tools, k=8: p50/p99 of the index pass, and with the query embedding computed (cache miss).";

    public Task<int> RunAsync(string[] args)
    {
        var toolCount = args is [var n, ..] && int.TryParse(n, out var parsed) ? parsed : 10_000;
        const int k = 8;
        const int queryCount = 4_000;
        var generator = new LocalHashingEmbeddingGenerator();
        var build = Stopwatch.StartNew();
        var snapshot = SyntheticTools.Snapshot(toolCount, generator);
        build.Stop();
        var queries = SyntheticTools.Queries(queryCount);
        var embedded = queries.Select(generator.Embed).ToArray();
        var keywords = queries.Select(q => TextTerms.Keywords(q)).ToArray();

        for (var i = 0; i < 300; i++)
        {
            snapshot.SearchIndex.Search(embedded[i], keywords[i], k);
        }

        var indexOnly = new double[queryCount];
        var withEmbedding = new double[queryCount];
        for (var i = 0; i < queryCount; i++)
        {
            var start = Stopwatch.GetTimestamp();
            snapshot.SearchIndex.Search(embedded[i], keywords[i], k);
            indexOnly[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            start = Stopwatch.GetTimestamp();
            snapshot.SearchIndex.Search(generator.Embed(queries[i]), TextTerms.Keywords(queries[i]), k);
            withEmbedding[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Console.WriteLine($"{toolCount:N0} tools × {snapshot.SearchIndex.Dimensions} dims, k = {k}, {queryCount:N0} distinct queries; index built in {build.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine();
        Console.WriteLine("| case | p50 ms | p99 ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Row("search pass (query embedding cached)", indexOnly);
        Row("search incl. local query embedding (cache miss)", withEmbedding);
        return Task.FromResult(0);
    }

    private static void Row(string name, double[] samples)
    {
        Array.Sort(samples);
        Console.WriteLine($"| {name} | {Percentile(samples, 0.50):0.000} | {Percentile(samples, 0.99):0.000} | {samples[^1]:0.000} |");
    }

    internal static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
