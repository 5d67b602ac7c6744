using Platform.Api.Auth;
using Platform.Api.Embeddings;
using Platform.Api.Infrastructure;
using Platform.Api.Usage;
using Platform.Data;
using StackExchange.Redis;

namespace Platform.Api.Hosting;

/// <summary>Registers and maps the Api's features; Program.cs calls one of each.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddOpenAIErrors();
        // Kestrel's limits from configuration (Kestrel:Limits): the default request body limit is small, because
        // only the endpoints that take a body raise it, each to its own setting (RequestBodyLimit).
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        // Retries are off in appsettings.json (Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableRetry): see DatabaseOptions.
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database, configureDbContextOptions: o => PlatformDatabase.ConfigureOptions(o));
        builder.AddRedisClient(ResourceNames.Redis,
            // Aspire's check would make /health Unhealthy without Redis; the cache's "cache-l2" reports Degraded.
            static settings => settings.DisableHealthChecks = true,
            static options =>
            {
                // Start while Redis is down and reconnect by itself.
                options.AbortOnConnectFail = false;
                // While disconnected, commands fail at once (the cache falls back to memory, usage to the
                // journal) instead of queueing until they time out and holding up the request.
                options.BacklogPolicy = BacklogPolicy.FailFast;
            });
        builder.AddApiKeyAuthentication();
        builder.AddUsageCapture();
        builder.AddApiKeyLimits();
        builder.AddChatGateway();
        builder.AddChatResponseCache();
        builder.AddEmbeddings();
        builder.AddMcpTools();
        builder.AddPlatformOpenApi();

        return builder;
    }

    public static WebApplication MapPlatformApi(this WebApplication app)
    {
        app.UseOpenAIErrors();
        app.UseApiKeys();
        app.MapApiKeysApi();
        app.MapUsageApi();
        app.MapUsagePage();
        app.MapChatApi();
        app.MapEmbeddingsApi();
        app.MapCacheApi();
        app.MapMcpTools();
        app.MapPlatformOpenApi();

        return app;
    }
}
