using Platform.Api.Auth;
using Platform.Data;

/// <summary>Registers and maps the Api's features; Program.cs calls one of each.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database, configureDbContextOptions: o => PlatformDatabase.ConfigureOptions(o));
        builder.AddApiKeyAuthentication();

        return builder;
    }

    public static WebApplication MapPlatformApi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapApiKeysApi();

        return app;
    }
}
