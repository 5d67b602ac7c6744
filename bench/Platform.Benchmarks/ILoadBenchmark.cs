namespace Platform.Benchmarks;

/// <summary>
/// A console load benchmark: starts what it needs on 127.0.0.1, runs bounded loops, prints a
/// Markdown table for docs/benchmarks.md, and stops by itself. Found by reflection, run by name.
/// </summary>
public interface ILoadBenchmark
{
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args);
}
