using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Transport;

/// <summary>
/// The MCP Streamable HTTP transport on one endpoint (spec 2025-06-18 / 2025-11-25), in the way the
/// SDK's ModelContextProtocol.AspNetCore handler does it in stateful mode: POST carries client
/// messages and answers as SSE, GET opens the server-to-client stream, DELETE ends the session.
/// </summary>
internal sealed class StreamableHttpHandler(
    McpSessionStore sessions,
    McpSessionFactory sessionFactory,
    IOptionsMonitor<McpHostOptions> hostOptions,
    IHostApplicationLifetime lifetime)
{
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageTypeInfo =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    public async Task HandlePostAsync(HttpContext context)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MatchesMediaType("application/json")) || !accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status406NotAcceptable,
                "Not Acceptable: the client must accept both application/json and text/event-stream.");
            return;
        }

        JsonRpcMessage? message;
        try
        {
            message = await context.Request.ReadFromJsonAsync(MessageTypeInfo, context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            message = null;
        }
        if (message is null)
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status400BadRequest,
                "Bad Request: the body is not a JSON-RPC message.", (int)McpErrorCode.InvalidRequest);
            return;
        }

        var requestId = message is JsonRpcRequest request ? request.Id : default;
        var protocolVersion = context.Request.Headers[McpProtocol.ProtocolVersionHeader].ToString();
        if (!await ProtocolVersionRules.ValidateAsync(context, protocolVersion, requestId))
        {
            return;
        }

        var (session, inFlight) = await GetOrStartSessionAsync(context, message, requestId);
        if (session is null)
        {
            return;
        }

        using var acquired = inFlight ?? session.TryAcquire(sessions.Time);
        if (acquired is null)
        {
            await WriteSessionNotFoundAsync(context, requestId);
            return;
        }

        if (protocolVersion.Length > 0)
        {
            message.Context ??= new();
            message.Context.ProtocolVersion = protocolVersion;
        }

        try
        {
            if (hostOptions.CurrentValue.JsonResponses && message is JsonRpcRequest)
            {
                await JsonResponseWriter.HandlePostAsync(session.Transport, message, context);
                return;
            }

            InitializeSseResponse(context);
            var wroteResponse = await session.Transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted);
            if (!wroteResponse)
            {
                // Notifications and responses get 202 with no body.
                context.Response.Headers.ContentType = (string?)null;
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    public async Task HandleGetAsync(HttpContext context)
    {
        var protocolVersion = context.Request.Headers[McpProtocol.ProtocolVersionHeader].ToString();
        if (!await ProtocolVersionRules.ValidateSessionMethodAsync(context, protocolVersion))
        {
            return;
        }

        if (!context.Request.GetTypedHeaders().Accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status406NotAcceptable,
                "Not Acceptable: the client must accept text/event-stream.");
            return;
        }

        var session = await GetSessionAsync(context);
        if (session is null)
        {
            return;
        }

        if (!session.TryStartGetStream())
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status400BadRequest,
                "Bad Request: this session already has a GET stream open.");
            return;
        }

        if (session.IsClosed)
        {
            await WriteSessionNotFoundAsync(context);
            return;
        }

        // The stream ends with the client, the session, or the host: shutdown must not wait for it.
        using var streamEnd = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping, session.Closed);
        InitializeSseResponse(context);
        try
        {
            // The transport sends the headers once it is ready, so a client that sees them can rely on notifications arriving.
            await session.Transport.HandleGetRequestAsync(context.Response.Body, streamEnd.Token);
        }
        catch (OperationCanceledException) when (streamEnd.IsCancellationRequested)
        {
        }
    }

    public async Task HandleDeleteAsync(HttpContext context)
    {
        var protocolVersion = context.Request.Headers[McpProtocol.ProtocolVersionHeader].ToString();
        if (!await ProtocolVersionRules.ValidateSessionMethodAsync(context, protocolVersion))
        {
            return;
        }

        var sessionId = context.Request.Headers[McpProtocol.SessionIdHeader].ToString();
        if (sessionId.Length == 0)
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"Bad Request: DELETE needs the {McpProtocol.SessionIdHeader} header.");
            return;
        }

        if (!await sessions.TryRemoveAsync(sessionId))
        {
            await WriteSessionNotFoundAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The session, and for a new one the in-flight handle taken before it became visible to eviction.</summary>
    private async Task<(McpHttpSession? Session, IDisposable? InFlight)> GetOrStartSessionAsync(HttpContext context, JsonRpcMessage message, RequestId requestId)
    {
        var sessionId = context.Request.Headers[McpProtocol.SessionIdHeader].ToString();
        if (sessionId.Length > 0)
        {
            return (await GetSessionAsync(context, requestId), null);
        }

        if (message is not JsonRpcRequest { Method: RequestMethods.Initialize })
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"Bad Request: only an initialize request may come without the {McpProtocol.SessionIdHeader} header.",
                id: requestId);
            return (null, null);
        }

        var session = sessionFactory.Create();
        // Busy before it is added: otherwise another initialize at the session limit could evict this idle,
        // brand-new session before its own initialize request runs, and that request would get a 404.
        var inFlight = session.TryAcquire(sessions.Time);
        bool added;
        try
        {
            added = await sessions.TryAddAsync(session, context.RequestAborted);
        }
        catch
        {
            // The client went away while waiting for admission: the session never became reachable, end it.
            inFlight?.Dispose();
            await session.DisposeAsync();
            throw;
        }
        if (!added)
        {
            inFlight?.Dispose();
            await session.DisposeAsync();
            context.Response.Headers.RetryAfter = "5";
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "Service Unavailable: the session limit is reached and every session is busy; retry later.", id: requestId);
            return (null, null);
        }

        context.Response.Headers[McpProtocol.SessionIdHeader] = session.Id;
        return (session, inFlight);
    }

    private async Task<McpHttpSession?> GetSessionAsync(HttpContext context, RequestId requestId = default)
    {
        var sessionId = context.Request.Headers[McpProtocol.SessionIdHeader].ToString();
        if (sessionId.Length == 0)
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"Bad Request: the {McpProtocol.SessionIdHeader} header is required.", id: requestId);
            return null;
        }

        if (!sessions.TryGet(sessionId, out var session))
        {
            await WriteSessionNotFoundAsync(context, requestId);
            return null;
        }

        context.Response.Headers[McpProtocol.SessionIdHeader] = session.Id;
        return session;
    }

    private static Task WriteSessionNotFoundAsync(HttpContext context, RequestId requestId = default) =>
        JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status404NotFound,
            "Session not found: it ended, expired or never existed; start a new one with initialize.",
            JsonRpcErrorResult.SessionNotFound, requestId);

    private static void InitializeSseResponse(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers.ContentEncoding = "identity";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }
}
