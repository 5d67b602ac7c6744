using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Platform.Data;
using Platform.Testing;

namespace Platform.Api.Tests.Tools.Infrastructure;

/// <summary>
/// The Api in-process with its default MCP configuration (<c>http://mcphost/mcp</c> resolved by
/// service discovery, token from <c>McpHost:Token</c>) pointing at a real McpHost, over the shared
/// Redis and a fresh, migrated PostgreSQL database.
/// </summary>
public class ToolsApiFactory : WebApplicationFactory<ApiAssembly>, IAsyncLifetime
{
    public const string AdminKey = "tools-admin-key-0123456789";

    private string _redis = "";
    private string _database = "";

    public McpHostInstance McpHost { get; private set; } = null!;

    /// <summary>More configuration on top of the defaults, e.g. further MCP servers.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        McpHost = McpHostInstance.Start();
        _redis = await SharedServers.GetRedisConnectionStringAsync();
        _database = await SharedServers.CreateDatabaseAsync();
        await using (var db = new PlatformDbContext(PlatformDatabase.CreateOptions(_database)))
        {
            await PlatformDatabase.MigrateAsync(db);
        }
        await WaitForCatalogAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{ResourceNames.Redis}", _redis);
        builder.UseSetting($"ConnectionStrings:{ResourceNames.Database}", _database);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        // Keys are required outside Development by default; these tests call anonymously.
        builder.UseSetting("Auth:RequireApiKey", "false");
        builder.UseSetting($"services:{ResourceNames.McpHost}:http:0", McpHost.BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("McpHost:Token", McpHostInstance.Token);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private async Task WaitForCatalogAsync()
    {
        using var client = CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/v1/tools", timeout.Token);
            if (page.GetProperty("data").GetArrayLength() > 0)
            {
                return;
            }
            await Task.Delay(50, timeout.Token);
        }
    }

    public virtual async Task DisposeFixtureAsync()
    {
        await DisposeAsync();
        await McpHost.DisposeAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeFixtureAsync();
}
