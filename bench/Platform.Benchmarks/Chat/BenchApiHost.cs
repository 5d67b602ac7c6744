using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Benchmarks.Chat;

/// <summary>The Api exactly as Program.cs composes it, on a real Kestrel port on 127.0.0.1.</summary>
internal sealed class BenchApiHost(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    public IServiceProvider Services => app.Services;

    public static async Task<BenchApiHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ApiAssembly).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Api, Worker and McpHost all copy an appsettings.json into this output folder; read the Api's own.
        if (FindApiSettings() is { } apiSettings)
        {
            builder.Configuration.AddJsonFile(apiSettings, optional: false);
        }
        // The benchmarks call anonymously, as they did before keys became required outside Development.
        builder.Configuration.AddInMemoryCollection([new("Auth:RequireApiKey", "false")]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ListenOnLoopback();
        builder.AddServiceDefaults();
        Platform.Api.Hosting.Extensions.AddApplicationServices(builder);
        builder.Logging.ClearProviders();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        Platform.Api.Hosting.Extensions.MapPlatformApi(app);
        var address = await app.StartOnLoopbackAsync();
        return new BenchApiHost(app, new Uri(address + "/"));
    }

    private static string? FindApiSettings()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Api", "appsettings.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public ValueTask DisposeAsync() => app.StopAndDisposeAsync();
}
