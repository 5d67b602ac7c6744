using Microsoft.Extensions.Hosting;
using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using Platform.Data;
using Platform.Testing;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>
/// The Api in-process, wired to the shared Redis and a fresh PostgreSQL database, with providers
/// pointing at a <see cref="StubUpstream"/>: <c>stub</c> (models stub-model, alias stub-alias),
/// <c>slow</c> (1 s timeout), <c>probe</c>/<c>probeupstream</c> for telemetry, and the built-in <c>offline</c> provider.
/// <c>stub</c> also serves the embedding model stub-embedding.
/// </summary>
public class ApiFactory : WebApplicationFactory<ApiAssembly>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string StubModel = "stub-model";
    public const string StubAlias = "stub-alias";
    public const string SlowModel = "slow-model";
    public const string StubEmbeddingModel = "stub-embedding";

    /// <summary>Models only the telemetry tests use, so their spans and metrics are theirs alone.</summary>
    public const string ProbeOfflineModel = "probe-offline-model";
    public const string ProbeUpstreamModel = "probe-upstream-model";

    private string _redis = "";
    private string _database = "";
    private readonly string _scope = SharedServers.UniquePrefix("api");

    public StubUpstream Upstream { get; private set; } = null!;

    /// <summary>Extra settings a derived fixture adds (applied last).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> AdditionalSettings => [];

    public virtual async Task InitializeAsync()
    {
        Upstream = await StubUpstream.StartAsync();
        _redis = await SharedServers.GetRedisConnectionStringAsync();
        _database = await PrepareDatabaseAsync();
    }

    /// <summary>A fresh database on the shared server, with the schema; a fixture may bring its own server.</summary>
    protected virtual async Task<string> PrepareDatabaseAsync()
    {
        var database = await SharedServers.CreateDatabaseAsync();
        // The Worker owns the schema; here the test applies it, as a running Worker would have.
        await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(database));
        await PlatformDatabase.MigrateAsync(db);
        return database;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = _redis,
            [$"ConnectionStrings:{ResourceNames.Database}"] = _database,
            ["Auth:AdminKey"] = AdminKey,
            // Keys are required outside Development by default; most tests call anonymously, the auth tests opt back in.
            ["Auth:RequireApiKey"] = "false",
            // The shared Redis outlives test runs: each host gets its own cache keys and usage stream.
            ["HybridCache:KeyPrefix"] = _scope + "cache:",
            ["HybridCache:InvalidationChannel"] = _scope + "invalidate",
            ["Usage:StreamName"] = _scope + "usage",
            ["Providers:stub:Type"] = "openai",
            ["Providers:stub:Endpoint"] = Upstream.BaseUrl.ToString(),
            ["Providers:stub:ApiKey"] = "upstream-key",
            ["Providers:stub:Models:0"] = StubModel,
            [$"Providers:stub:Aliases:{StubAlias}"] = StubModel,
            ["Providers:stub:EmbeddingModels:0"] = StubEmbeddingModel,
            ["Providers:stub:Resilience:RetryDelay"] = "00:00:00.010",
            ["Providers:slow:Type"] = "openai",
            ["Providers:slow:Endpoint"] = Upstream.BaseUrl.ToString(),
            ["Providers:slow:ApiKey"] = "upstream-key",
            ["Providers:slow:Models:0"] = SlowModel,
            ["Providers:slow:Timeout"] = "00:00:01",
            ["Providers:probe:Type"] = "offline",
            [$"Providers:probe:Models:0"] = ProbeOfflineModel,
            ["Providers:probeupstream:Type"] = "openai",
            ["Providers:probeupstream:Endpoint"] = Upstream.BaseUrl.ToString(),
            ["Providers:probeupstream:Models:0"] = ProbeUpstreamModel,
        };
        foreach (var (key, value) in AdditionalSettings)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            // null: leave the setting to the Api's own configuration (appsettings.json and its environment's file).
            if (value is not null)
            {
                builder.UseSetting(key, value);
            }
        }
        builder.ConfigureTestServices(RecordingUsageSink.Decorate);
    }

    /// <summary>Every usage record the Api made (they also go on to the usage stream as usual).</summary>
    public RecordingUsageSink Usage => Services.GetRequiredService<RecordingUsageSink>();

    /// <summary>The official OpenAI SDK pointed at the Api, as any OpenAI client would be.</summary>
    public OpenAI.Chat.ChatClient CreateChatClient(string model) => CreateOpenAIClient().GetChatClient(model);

    /// <summary>The official OpenAI SDK over the in-process server, with the given key and no retries.</summary>
    public OpenAIClient CreateOpenAIClient(string key = AdminKey) =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
