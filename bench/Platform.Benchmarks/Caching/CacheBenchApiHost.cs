using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Benchmarks.Caching;

/// <summary>One Api instance composed as Program.cs does, on a real Kestrel port on 127.0.0.1.</summary>
internal sealed class CacheBenchApiHost(WebApplication app, Uri baseUrl) : IAsyncDisposable
{

    public Uri BaseUrl { get; } = baseUrl;

    public IServiceProvider Services => app.Services;

    public static async Task<CacheBenchApiHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ApiAssembly).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.AddServiceDefaults();
        Platform.Api.Hosting.Extensions.AddApplicationServices(builder);
        builder.Logging.ClearProviders();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        Platform.Api.Hosting.Extensions.MapPlatformApi(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new CacheBenchApiHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
