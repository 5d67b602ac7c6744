using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Platform.McpHost.Admin;
using Platform.McpHost.Security;
using Platform.McpHost.Telemetry;
using Platform.McpHost.Tools;
using Platform.McpHost.Transport;

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
        services.AddOptions<McpHostOptions>()
            .BindConfiguration(McpHostOptions.SectionName)
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero, "McpHost:SessionIdleTimeout must be positive.")
            .Validate(o => o.SessionCleanupInterval > TimeSpan.Zero, "McpHost:SessionCleanupInterval must be positive.")
            .Validate(o => o.MaxSessions > 0, "McpHost:MaxSessions must be positive.")
            .ValidateOnStart();

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<McpHostTelemetry>();
        services.AddSingleton<McpAccessFilter>();

        services.AddHostTools();
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton(sp => new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "Platform.McpHost", Title = "Platform tools", Version = typeof(McpHostOptions).Assembly.GetName().Version?.ToString() ?? "1.0.0" },
            ServerInstructions = "Deterministic utility tools: arithmetic, unit and time-zone conversion, JSON queries, text statistics, hashing, encoding, UUIDs and date arithmetic.",
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } },
            ToolCollection = sp.GetRequiredService<ToolCatalog>().Enabled,
        });

        services.AddSingleton<McpSessionStore>();
        services.AddSingleton<McpSessionFactory>();
        services.AddSingleton<StreamableHttpHandler>();
        services.AddHostedService<SessionCleanupService>();
        services.AddHealthChecks().AddCheck<SessionCapacityHealthCheck>("mcp-sessions");
        return builder;
    }

    public static WebApplication MapMcpHostApi(this WebApplication app)
    {
        if (string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<McpHostOptions>>().Value.Token))
        {
            app.Logger.LogWarning("McpHost:Token is empty: /mcp and /admin accept requests without authentication. Set it (Aspire parameter mcp-token) outside development.");
        }

        // Built now rather than on the first request, so a misspelt McpHost:DisabledTools entry is reported at start-up.
        var catalog = app.Services.GetRequiredService<ToolCatalog>();
        app.Logger.LogInformation("MCP endpoint {Path} serving {EnabledTools} of {Tools} tools", McpApi.Path, catalog.Enabled.Count, catalog.Names.Count());

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
