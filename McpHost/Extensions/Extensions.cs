/// <summary>Registers and maps McpHost's parts; Program.cs calls one of each.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapMcpHostApi(this WebApplication app)
    {
        return app;
    }
}
