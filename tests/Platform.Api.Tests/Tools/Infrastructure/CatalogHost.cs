using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Sessions;
using Platform.Data;

namespace Platform.Api.Tests.Tools.Infrastructure;

/// <summary>
/// The Api's MCP services (exactly as <c>AddMcpTools</c> registers them) in a plain host over a
/// given database and MCP servers, without the HTTP side. Not started unless a test starts it, so a
/// test drives refreshes itself.
/// </summary>
public sealed class CatalogHost : IAsyncDisposable
{
    private CatalogHost(IHost host) => Host = host;

    public IHost Host { get; }
    public ToolCatalog Catalog => Host.Services.GetRequiredService<ToolCatalog>();
    public McpSessionPools Pools => Host.Services.GetRequiredService<McpSessionPools>();

    public static async Task<CatalogHost> CreateAsync(
        string databaseConnectionString, IReadOnlyDictionary<string, Uri> servers, IDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var configuration = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Mcp:RefreshInterval"] = "01:00:00",
            ["Mcp:ListTimeout"] = "00:00:10",
            ["Mcp:Pool:ConnectTimeout"] = "00:00:05",
        };
        foreach (var (label, endpoint) in servers)
        {
            configuration[$"Mcp:Servers:{label}:Endpoint"] = endpoint.ToString();
            configuration[$"Mcp:Servers:{label}:Token"] = McpHostInstance.Token;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.Sources.Clear(); // only these servers, not the Api's appsettings.json copied next to us
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddServiceDiscovery();
        builder.Services.AddDbContextPool<PlatformDbContext>(options =>
            PlatformDatabase.ConfigureOptions(options.UseNpgsql(databaseConnectionString, npgsql => npgsql.EnableRetryOnFailure())));
        builder.AddMcpTools();
        var host = builder.Build();

        await using var scope = host.Services.CreateAsyncScope();
        await PlatformDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<PlatformDbContext>());
        return new CatalogHost(host);
    }

    /// <summary>Waits until a catalog snapshot satisfies <paramref name="condition"/>.</summary>
    public async Task<ToolCatalogSnapshot> WaitForAsync(Func<ToolCatalogSnapshot, bool> condition, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var snapshot = Catalog.Current;
            if (condition(snapshot))
            {
                return snapshot;
            }
            await Task.Delay(20, cancellation.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}
