/// <summary>Registers and maps the Api's features; Program.cs calls one of each.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapPlatformApi(this WebApplication app)
    {
        return app;
    }
}
