using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.Providers;
using Platform.Api.Routing;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// What routing adds, in two groups with their own baseline. <c>choice</c>: the registry lookup alone (all a
/// request did before routing) against the lookup plus the routing choice, for a model with one deployment
/// (every model configured as before) and one with three weighted deployments. <c>call</c>: a call through a
/// pass-through pipeline stage (what any stage costs) against a call through the routing stage; the provider
/// answers from a finished task, so only the stages are timed.
/// Run: <c>dotnet run -c Release --project bench/Platform.Benchmarks -- --filter *DeploymentRouting*</c>
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[Config(typeof(InProcessShortRunConfig))]
public class DeploymentRoutingBenchmarks
{
    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "hello")];
    private readonly ChatOptions _singleOptions = new() { ModelId = "single" };
    private readonly ChatOptions _tripleOptions = new() { ModelId = "triple" };
    private ServiceProvider _services = null!;
    private ProviderRegistry _registry = null!;
    private string _single = null!;
    private string _triple = null!;
    private IChatClient _passThrough = null!;
    private IChatClient _routedSingle = null!;
    private IChatClient _routedTriple = null!;
    private IChatClient _routedSingleUnmetered = null!;

    [GlobalSetup]
    public void Setup()
    {
        var providers = new ProvidersOptions
        {
            ["p0"] = new() { Type = ProviderTypes.Offline, Models = ["single", "triple"] },
            ["p1"] = new() { Type = ProviderTypes.Offline, Models = ["triple"] },
            ["p2"] = new() { Type = ProviderTypes.Offline, Models = ["triple"] },
        };
        var provider = new InstantChatClient();
        var collection = new ServiceCollection().AddMetrics();
        foreach (var name in providers.Keys)
        {
            collection.AddKeyedSingleton<IChatClient>(name, provider);
        }
        _services = collection.BuildServiceProvider();
        var metrics = new RoutingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _registry = new ProviderRegistryFactory(Options.Create(providers), _services, NullLogger<ProviderRegistryFactory>.Instance, metrics: metrics).Create();

        // Fresh string instances, as a request body would give.
        _single = new string("single".AsSpan());
        _triple = new string("triple".AsSpan());
        _passThrough = new PassThroughChatClient(provider);
        _routedSingle = Route(_single).Pipeline;
        _routedTriple = Route(_triple).Pipeline;
        _routedSingleUnmetered = new DeploymentRoutingChatClient(((DeploymentRoutingChatClient)_routedSingle).Model, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("choice")]
    public ModelRoute LookupAlone() => Route(_single);

    [Benchmark, BenchmarkCategory("choice")]
    public Deployment? LookupAndChooseTheOnlyDeployment() => Choose(_single);

    [Benchmark, BenchmarkCategory("choice")]
    public Deployment? LookupAndChooseAmongThreeWeighted() => Choose(_triple);

    [Benchmark(Baseline = true), BenchmarkCategory("call")]
    public Task<ChatResponse> CallThroughAPassThroughStage() => _passThrough.GetResponseAsync(_messages, _singleOptions);

    [Benchmark, BenchmarkCategory("call")]
    public Task<ChatResponse> CallThroughRoutingToTheOnlyDeployment() => _routedSingle.GetResponseAsync(_messages, _singleOptions);

    /// <summary>The same without the routing metrics: how much of the difference is theirs.</summary>
    [Benchmark, BenchmarkCategory("call")]
    public Task<ChatResponse> CallThroughRoutingToTheOnlyDeploymentWithoutMetrics() => _routedSingleUnmetered.GetResponseAsync(_messages, _singleOptions);

    /// <summary>One read of the monotonic clock: routing reads it twice per call, to time the first token.</summary>
    [Benchmark, BenchmarkCategory("call")]
    public long ReadTheClockOnce() => TimeProvider.System.GetTimestamp();

    [Benchmark, BenchmarkCategory("call")]
    public Task<ChatResponse> CallThroughRoutingAmongThreeWeighted() => _routedTriple.GetResponseAsync(_messages, _tripleOptions);

    private ModelRoute Route(string model) => _registry.TryResolve(model.AsSpan(), out var route) ? route : throw new KeyNotFoundException(model);

    private Deployment? Choose(string model)
    {
        var routing = (DeploymentRoutingChatClient)Route(model).Pipeline;
        ulong tried = 0;
        var deployment = routing.Choose(ref tried, attempted: false, out _);
        deployment?.Exit();
        return deployment;
    }

    /// <summary>A provider that has its answer ready: the call costs nothing but the call.</summary>
    private sealed class InstantChatClient : IChatClient
    {
        private readonly Task<ChatResponse> _answer = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")));

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _answer;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>The cheapest real stage: an async override that awaits its inner client, as the pipeline's stages do.</summary>
    private sealed class PassThroughChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    private sealed class InProcessShortRunConfig : ManualConfig
    {
        public InProcessShortRunConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        }
    }
}
