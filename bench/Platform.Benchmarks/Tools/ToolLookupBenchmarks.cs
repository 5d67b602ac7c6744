using BenchmarkDotNet.Attributes;
using Platform.Api.Tools.Catalog;

namespace Platform.Benchmarks.Tools;

/// <summary>Tool lookup by exposed name in a 1,000-tool snapshot vs the linear scan it replaces (budget ≤ 50 ns, 0 B).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class ToolLookupBenchmarks
{
    private ToolCatalogSnapshot _snapshot = null!;
    private McpTool[] _list = null!;
    private string _name = "";

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = SyntheticTools.Snapshot(1_000);
        _list = [.. _snapshot.Tools.OrderBy(t => t.Name.GetHashCode())]; // as a scan over an unordered list would see them
        _name = new string(_list[_list.Length / 2].ExposedName); // a distinct string instance, as parsed from a request
    }

    [Benchmark(Baseline = true)]
    public McpTool? LinearScan()
    {
        foreach (var tool in _list)
        {
            if (string.Equals(tool.ExposedName, _name, StringComparison.Ordinal))
            {
                return tool;
            }
        }
        return null;
    }

    [Benchmark]
    public McpTool? FrozenDictionaryByString() => _snapshot.Find(_name);

    [Benchmark]
    public McpTool? FrozenDictionaryBySpan() => _snapshot.TryGetTool(_name.AsSpan(), out var tool) ? tool : null;
}
