using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Api.Tools.Catalog;
using Platform.Data;
using Platform.Testing;

namespace Platform.Benchmarks.Tools;

/// <summary>Catalog refresh of 1,000 tools on 4 MCP servers (paged listing, embedding, snapshot, PostgreSQL upsert).</summary>
public sealed class CatalogRefreshLoadBenchmark : ILoadBenchmark
{
    public string Name => "mcp-catalog-refresh";
    public string Description => "Tool catalog refresh: 1,000 tools on 4 stub MCP servers (100 per page), persisted to a private PostgreSQL.";

    public async Task<int> RunAsync(string[] args)
    {
        const int servers = 4;
        const int toolsPerServer = 250;
        var all = SyntheticTools.Describe(servers * toolsPerServer);
        var stubs = new List<StubMcpServer>();
        for (var i = 0; i < servers; i++)
        {
            stubs.Add(await StubMcpServer.StartAsync(all.Skip(i * toolsPerServer).Take(toolsPerServer).ToList()));
        }
        await using var postgres = await PostgresServer.LaunchAsync();
        var database = await postgres.CreateDatabaseAsync();

        var builder = Host.CreateApplicationBuilder();
        var settings = new Dictionary<string, string?> { ["Mcp:RefreshInterval"] = "01:00:00" };
        for (var i = 0; i < servers; i++)
        {
            settings[$"Mcp:Servers:stub{i}:Endpoint"] = stubs[i].Endpoint.ToString();
        }
        builder.Configuration.Sources.Clear(); // only these servers, not the Api's appsettings.json copied next to us
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddDbContextPool<PlatformDbContext>(o => PlatformDatabase.ConfigureOptions(o.UseNpgsql(database)));
        builder.AddMcpTools();
        using var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await PlatformDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<PlatformDbContext>());
        }
        var catalog = host.Services.GetRequiredService<ToolCatalog>();

        var cold = Stopwatch.StartNew();
        var snapshot = await catalog.RefreshAsync(CancellationToken.None);
        cold.Stop();
        if (snapshot.Tools.Count != servers * toolsPerServer)
        {
            Console.Error.WriteLine($"Expected {servers * toolsPerServer} tools, got {snapshot.Tools.Count}.");
            return 1;
        }

        var warm = new double[7];
        for (var i = 0; i < warm.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await catalog.RefreshAsync(CancellationToken.None);
            warm[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(warm);

        Console.WriteLine($"| case | time ms |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine($"| first refresh: list 4 × 250 tools (3 pages each), embed 1,000, insert | {cold.Elapsed.TotalMilliseconds:0} |");
        Console.WriteLine($"| unchanged refresh, median of {warm.Length}: list, reuse embeddings, nothing to write | {warm[warm.Length / 2]:0} |");
        Console.WriteLine($"| unchanged refresh, slowest of {warm.Length} | {warm[^1]:0} |");

        foreach (var stub in stubs)
        {
            await stub.DisposeAsync();
        }
        return 0;
    }
}
