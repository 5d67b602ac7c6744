using Platform.Api.Auth;
using Platform.Api.Embeddings;
using Platform.Api.Usage;
using Platform.Data;

namespace Platform.Api.Hosting;

/// <summary>Registers and maps the Api's features; Program.cs calls one of each.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddOpenAIErrors();
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database, configureDbContextOptions: o => PlatformDatabase.ConfigureOptions(o));
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddApiKeyAuthentication();
        builder.AddUsageCapture();
        builder.AddChatGateway();
        builder.AddChatResponseCache();
        builder.AddEmbeddings();
        builder.AddMcpTools();

        return builder;
    }

    public static WebApplication MapPlatformApi(this WebApplication app)
    {
        app.UseOpenAIErrors();
        app.UseApiKeys();
        app.MapApiKeysApi();
        app.MapUsageApi();
        app.MapChatApi();
        app.MapEmbeddingsApi();
        app.MapCacheApi();
        app.MapMcpTools();

        return app;
    }
}
