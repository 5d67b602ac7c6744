using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.Usage.Tests.Infrastructure;

/// <summary>The Api in-process on the shared Redis and a fresh migrated database, with a usage stream of its own.</summary>
public sealed class UsageApiFactory : WebApplicationFactory<ApiAssembly>, IAsyncLifetime
{
    public const string AdminKey = "usage-tests-admin-key-0123456789";

    public string Redis { get; private set; } = "";
    public string Database { get; private set; } = "";
    public string Stream { get; } = UsageStreams.UniqueName("api");
    private readonly string _journal = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N"));
    private Task? _seeded;

    /// <summary>Runs a test class's data set-up once per fixture (xunit creates the class once per test).</summary>
    public Task SeedOnceAsync(Func<Task> seed)
    {
        lock (_journal)
        {
            return _seeded ??= seed();
        }
    }

    public async Task InitializeAsync()
    {
        Redis = await SharedServers.GetRedisConnectionStringAsync();
        Database = await UsageDatabase.CreateMigratedAsync();
    }

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", Redis);
        builder.UseSetting("ConnectionStrings:platformdb", Database);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        // Keys are required outside Development by default; these tests call anonymously.
        builder.UseSetting("Auth:RequireApiKey", "false");
        builder.UseSetting("Usage:StreamName", Stream);
        builder.UseSetting("Usage:JournalDirectory", _journal);
        builder.UseSetting("Usage:FlushInterval", "00:00:00.005");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
