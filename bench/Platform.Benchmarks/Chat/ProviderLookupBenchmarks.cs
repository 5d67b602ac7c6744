using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.AI;
using Platform.Api.Providers;
using Platform.Api.Providers.Offline;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// Provider lookup by model name (budget: 20 ns, no allocation) in a registry of 8 providers ×
/// 16 models plus aliases, for the three forms a client may use.
/// Run: <c>dotnet run -c Release --project bench/Platform.Benchmarks -- --filter *ProviderLookup*</c>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
public class ProviderLookupBenchmarks
{
    private ProviderRegistry _registry = null!;
    private string _model = null!;
    private string _qualified = null!;
    private string _alias = null!;
    private string _unknown = null!;

    [GlobalSetup]
    public void Setup()
    {
        var providers = new ProvidersOptions();
        for (var p = 0; p < 8; p++)
        {
            var options = new ProviderOptions { Type = ProviderTypes.Offline };
            for (var m = 0; m < 16; m++)
            {
                options.Models.Add($"model-{p}-{m}");
                options.Aliases[$"alias-{p}-{m}"] = $"model-{p}-{m}";
            }
            providers[$"provider{p}"] = options;
        }
        var collection = new ServiceCollection();
        foreach (var name in providers.Keys)
        {
            collection.AddKeyedSingleton<IChatClient>(name, new OfflineChatClient(name));
        }
        using var services = collection.BuildServiceProvider();
        var factory = new ProviderRegistryFactory(Options.Create(providers), services, NullLogger<ProviderRegistryFactory>.Instance);
        _registry = factory.Create();

        // Fresh string instances, as a request body would give: no reference-equality shortcut.
        _model = new string("model-5-11".AsSpan());
        _qualified = new string("provider5/model-5-11".AsSpan());
        _alias = new string("alias-5-11".AsSpan());
        _unknown = new string("model-9-99".AsSpan());
    }

    [Benchmark(Baseline = true)]
    public ModelRoute? Model() => _registry.TryResolve(_model.AsSpan(), out var route) ? route : null;

    [Benchmark]
    public ModelRoute? ProviderSlashModel() => _registry.TryResolve(_qualified.AsSpan(), out var route) ? route : null;

    [Benchmark]
    public ModelRoute? Alias() => _registry.TryResolve(_alias.AsSpan(), out var route) ? route : null;

    [Benchmark]
    public ModelRoute? Unknown() => _registry.TryResolve(_unknown.AsSpan(), out var route) ? route : null;

    /// <summary>ShortRun in this process: the generated-project toolchain trips over the artifacts layout here.</summary>
    private sealed class InProcessShortRunConfig : ManualConfig
    {
        public InProcessShortRunConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}
