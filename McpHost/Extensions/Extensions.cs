using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.McpHost.Admin;
using Platform.McpHost.Sessions;
using Platform.McpHost.Telemetry;
using Platform.McpHost.Tools;

namespace Platform.McpHost.Hosting;

/// <summary>
/// Registers and maps McpHost's parts; Program.cs calls one of each (through GlobalUsings.cs). In a
/// namespace so that a project referencing several services (benchmarks) can tell them apart.
/// </summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddOptions<McpHostOptions>()
            .BindConfiguration(McpHostOptions.SectionName)
            .Validate(o => development || !string.IsNullOrEmpty(o.Token),
                "McpHost:Token is required outside Development (Aspire parameter mcp-token, env McpHost__Token).")
            .Validate(o => o.MaxRequestBodyBytes > 0, "McpHost:MaxRequestBodyBytes must be positive.")
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero, "McpHost:SessionIdleTimeout must be positive.")
            .Validate(o => o.MaxSessions > 0, "McpHost:MaxSessions must be positive.")
            .Validate(o => o.MaxIdleSessions > 0 && o.MaxIdleSessions <= o.MaxSessions, "McpHost:MaxIdleSessions must be positive and at most McpHost:MaxSessions.")
            .Validate(o => o.ToolsPageSize >= 0, "McpHost:ToolsPageSize must be 0 (no paging) or positive.")
            .ValidateOnStart();

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<McpHostTelemetry>();

        services.AddHostTools();
        services.AddSingleton<ToolCatalog>();
        services.AddMcpEndpoint();
        services.AddHealthChecks().AddCheck<SessionCapacityHealthCheck>("mcp-sessions");
        return builder;
    }

    public static WebApplication MapMcpHostApi(this WebApplication app)
    {
        if (string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<McpHostOptions>>().Value.Token))
        {
            app.Logger.LogWarning("McpHost:Token is empty: /mcp and /admin accept requests without authentication (allowed in Development only).");
        }

        // Built now rather than on the first request, so a misspelt McpHost:DisabledTools entry is reported at start-up.
        var catalog = app.Services.GetRequiredService<ToolCatalog>();
        app.Logger.LogInformation("MCP endpoint {Path} serving {EnabledTools} of {Tools} tools", McpEndpoint.Path, catalog.Enabled.Count, catalog.Names.Count());

        app.MapMcpEndpoint();
        app.MapToolsAdminApi();
        return app;
    }

    private static IServiceCollection AddHostTools(this IServiceCollection services)
    {
        services.AddSingleton<HostTool, EvaluateExpressionTool>();
        services.AddSingleton<HostTool, ConvertUnitsTool>();
        services.AddSingleton<HostTool, ConvertTimeZoneTool>();
        services.AddSingleton<HostTool, JsonQueryTool>();
        services.AddSingleton<HostTool, TextStatisticsTool>();
        services.AddSingleton<HostTool, HashTextTool>();
        services.AddSingleton<HostTool, EncodeTextTool>();
        services.AddSingleton<HostTool, DecodeTextTool>();
        services.AddSingleton<HostTool, GenerateUuidTool>();
        services.AddSingleton<HostTool, DateArithmeticTool>();
        return services;
    }
}
