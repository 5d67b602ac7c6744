using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        Platform.McpHost.Hosting.Extensions.AddApplicationServices(builder);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Platform.McpHost.Hosting.Extensions.MapMcpHostApi(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchMcpHost(app, new Uri(address.TrimEnd('/') + "/mcp"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
