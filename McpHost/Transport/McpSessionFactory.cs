using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using ModelContextProtocol.Server;

namespace Platform.McpHost.Transport;

/// <summary>Creates a session: a transport with a fresh unguessable id and an MCP server running over it.</summary>
internal sealed class McpSessionFactory(McpServerOptions serverOptions, IServiceProvider services, ILoggerFactory loggerFactory, TimeProvider time)
{
    public McpHttpSession Create()
    {
        var sessionId = NewSessionId();
        var transport = new StreamableHttpServerTransport(loggerFactory)
        {
            SessionId = sessionId,
            // Tool calls run in the ExecutionContext of the POST that carried them, so their spans nest under it.
            FlowExecutionContextFromRequests = true,
        };
        var server = McpServer.Create(transport, serverOptions, loggerFactory, services);
        var session = new McpHttpSession(sessionId, transport, server, time.GetUtcNow());
        session.RunTask = server.RunAsync(session.Closed);
        return session;
    }

    private static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return WebEncoders.Base64UrlEncode(bytes);
    }
}
