using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Platform.McpHost.Security;
using Platform.McpHost.Sessions;
using Platform.McpHost.Tools;

namespace Platform.McpHost;

/// <summary>
/// The MCP endpoint: ModelContextProtocol.AspNetCore's Streamable HTTP transport (<c>MapMcp</c>) on /mcp,
/// behind <see cref="McpAccessFilter"/>. Clients that initialize get a session (GET stream, list_changed,
/// DELETE); clients of the sessionless revision are answered per request on the same endpoint.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    /// <summary>The first revision without sessions or initialize; versions are ISO dates, so ordinal order is chronological.</summary>
    public const string SessionlessRevision = "2026-07-28";

    public static bool IsSessionlessRevision(string protocolVersion) =>
        protocolVersion.Length > 0 && string.CompareOrdinal(protocolVersion, SessionlessRevision) >= 0;

    internal static IServiceCollection AddMcpEndpoint(this IServiceCollection services)
    {
        services.AddSingleton<McpSessionTracker>();
        services.AddSingleton<McpAccessFilter>();
        services.AddMcpServer().WithHttpTransport();

        services.AddOptions<McpServerOptions>().Configure<ToolCatalog, IOptionsMonitor<McpHostOptions>>((server, catalog, options) =>
        {
            server.ServerInfo = new Implementation { Name = "Platform.McpHost", Title = "Platform tools", Version = typeof(McpHostOptions).Assembly.GetName().Version?.ToString() ?? "1.0.0" };
            server.ServerInstructions = "Deterministic utility tools: arithmetic, unit and time-zone conversion, JSON queries, text statistics, hashing, encoding, UUIDs and date arithmetic.";
            // logging/setLevel needs nothing here: the SDK always answers it for sessions.
            server.Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } };
            // The live collection: the SDK sends notifications/tools/list_changed to every session when it changes.
            server.ToolCollection = catalog.Enabled;
            server.Filters.Request.ListToolsFilters.Add(next => ToolListPaging.Filter(next, options));
        });

        services.AddOptions<HttpServerTransportOptions>().Configure<IOptions<McpHostOptions>, McpSessionTracker, TimeProvider>((transport, options, tracker, time) =>
        {
            // Sessions for clients that initialize (2.4's default, Stateless, has no GET stream and so no
            // list_changed); the sessionless revision is served statelessly rather than forced to initialize.
            transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
            // The SDK marks its stateful-session settings obsolete because the latest revision has no sessions;
            // initialize clients still have them, and these bound them.
#pragma warning disable MCP9006
            transport.IdleTimeout = options.Value.SessionIdleTimeout;
            transport.MaxIdleSessionCount = options.Value.MaxIdleSessions;
#pragma warning restore MCP9006
            transport.TimeProvider = time;
#pragma warning disable MCPEXP002 // experimental; the tracker needs each session's start and end for the session limit and metrics
            transport.RunSessionHandler = tracker.RunSessionAsync;
#pragma warning restore MCPEXP002
        });
        return services;
    }

    internal static IEndpointConventionBuilder MapMcpEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMcp(Path)
            .AddEndpointFilter<IEndpointConventionBuilder, McpAccessFilter>()
            // The SDK reads a whole JSON-RPC message into memory: without a limit, a few parallel large bodies
            // grow the heap to gigabytes that the GC keeps. Routing sets the server's limit from this (413).
            .WithMetadata(new RequestBodyLimit(app.ServiceProvider.GetRequiredService<IOptions<McpHostOptions>>().Value.MaxRequestBodyBytes))
            .WithTags("MCP");

    /// <summary>The endpoint's request body limit, applied by routing to the server's IHttpMaxRequestBodySizeFeature.</summary>
    private sealed class RequestBodyLimit(long maxBytes) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = maxBytes;
    }
}
