using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.McpHost;

namespace Platform.Benchmarks.Tools;

/// <summary>McpHost composed as its Program.cs does, on a Kestrel port of 127.0.0.1.</summary>
internal sealed class BenchMcpHost(WebApplication app, Uri endpoint) : IAsyncDisposable
{
    public const string Token = "bench-mcp-token";

    public Uri Endpoint { get; } = endpoint;

    public static async Task<BenchMcpHost> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(McpHostAssembly).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["McpHost:Token"] = Token });
        builder.ListenOnLoopback();
        Platform.McpHost.Hosting.Extensions.AddApplicationServices(builder);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Platform.McpHost.Hosting.Extensions.MapMcpHostApi(app);
        var address = await app.StartOnLoopbackAsync();
        return new BenchMcpHost(app, new Uri(address + "/mcp"));
    }

    public ValueTask DisposeAsync() => app.StopAndDisposeAsync();
}
