using Platform.Testing;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// Where the stub upstream and the Api run. <see cref="Processes"/> is production's shape: load
/// generator, Api and upstream each in their own process with their own thread pool.
/// <see cref="InProcess"/> puts all three in this process (one thread pool, two cores shared by
/// everything), which makes every thread hop of the nested upstream call visible as added latency.
/// </summary>
internal sealed class GatewayTopology : IAsyncDisposable
{
    public const string Processes = "processes";
    public const string InProcess = "in-process";
    public const string ServeStubMode = "--serve-stub";
    public const string ServeApiMode = "--serve-api";
    public const string ServeProxyMode = "--serve-proxy";

    private readonly List<IAsyncDisposable> _owned = [];

    private GatewayTopology(string name) => Name = name;

    public string Name { get; }

    /// <summary>The stub's base URL, ending in <c>/v1</c> as an OpenAI endpoint does.</summary>
    public Uri UpstreamBaseUrl { get; private set; } = null!;

    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>A pass-through proxy in the Api's place (see <see cref="BenchPassThroughProxy"/>).</summary>
    public Uri ProxyBaseUrl { get; private set; } = null!;

    /// <summary>The Api's services, when the Api runs in this process.</summary>
    public IServiceProvider? ApiServices { get; private set; }

    public static async Task<GatewayTopology> StartAsync(string name)
    {
        var topology = new GatewayTopology(name);
        try
        {
            var redis = await RedisServer.LaunchAsync();
            topology._owned.Add(redis);
            var postgres = await PostgresServer.LaunchAsync();
            topology._owned.Add(postgres);
            var database = await postgres.CreateDatabaseAsync();
            if (name == InProcess)
            {
                var upstream = await BenchStubUpstream.StartAsync();
                topology._owned.Add(upstream);
                topology.UpstreamBaseUrl = upstream.BaseUrl;
                var api = await BenchApiHost.StartAsync(ApiSettings(redis.ConnectionString, database, upstream.BaseUrl));
                topology._owned.Add(api);
                topology.ApiBaseUrl = api.BaseUrl;
                topology.ApiServices = api.Services;
                var proxy = await BenchPassThroughProxy.StartAsync(upstream.BaseUrl);
                topology._owned.Add(proxy);
                topology.ProxyBaseUrl = proxy.BaseUrl;
            }
            else if (name == Processes)
            {
                var upstream = await BenchChildProcess.StartAsync(["gateway-overhead", ServeStubMode]);
                topology._owned.Add(upstream);
                topology.UpstreamBaseUrl = upstream.BaseUrl;
                var settings = ApiSettings(redis.ConnectionString, database, upstream.BaseUrl);
                var api = await BenchChildProcess.StartAsync(
                    ["gateway-overhead", ServeApiMode, .. settings.Select(s => $"{s.Key}={s.Value}")],
                    // The Api project is a Web SDK project: production runs it with server GC.
                    new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
                topology._owned.Add(api);
                topology.ApiBaseUrl = api.BaseUrl;
                var proxy = await BenchChildProcess.StartAsync(
                    ["gateway-overhead", ServeProxyMode, upstream.BaseUrl.ToString()],
                    new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
                topology._owned.Add(proxy);
                topology.ProxyBaseUrl = proxy.BaseUrl;
            }
            else
            {
                throw new ArgumentException($"Unknown topology '{name}'; expected '{Processes}' or '{InProcess}'.", nameof(name));
            }
            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    /// <summary>The hidden child modes: serve until the parent closes our standard input.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        if (args is [ServeStubMode, ..])
        {
            await using var upstream = await BenchStubUpstream.StartAsync();
            await BenchChildProcess.ServeUntilParentGoneAsync(upstream.BaseUrl);
            return 0;
        }
        if (args is [ServeProxyMode, var upstreamUrl, ..])
        {
            await using var proxy = await BenchPassThroughProxy.StartAsync(new Uri(upstreamUrl));
            await BenchChildProcess.ServeUntilParentGoneAsync(proxy.BaseUrl);
            return 0;
        }
        var settings = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
        await using var api = await BenchApiHost.StartAsync(settings);
        await BenchChildProcess.ServeUntilParentGoneAsync(api.BaseUrl);
        return 0;
    }

    private static Dictionary<string, string?> ApiSettings(string redis, string database, Uri upstream) => new()
    {
        ["ConnectionStrings:redis"] = redis,
        ["ConnectionStrings:platformdb"] = database,
        ["Providers:stub:Type"] = "openai",
        ["Providers:stub:Endpoint"] = upstream.ToString(),
        ["Providers:stub:ApiKey"] = "bench",
        ["Providers:stub:Models:0"] = "stub-model",
    };

    public async ValueTask DisposeAsync()
    {
        // Api first, then what it depends on.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        _owned.Clear();
    }
}
