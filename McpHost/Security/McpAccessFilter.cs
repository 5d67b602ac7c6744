using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.McpHost.Sessions;

namespace Platform.McpHost.Security;

/// <summary>
/// Guards /mcp and /admin against DNS rebinding (the Host must be one this server answers to, and a browser
/// Origin must be allowed: 403), then the bearer token must match <see cref="McpHostOptions.Token"/> when one
/// is configured (401). On /mcp it also holds the session limit: a request that could start a session takes a
/// slot first, and gets 503 when none is left.
/// </summary>
internal sealed class McpAccessFilter(IOptionsMonitor<McpHostOptions> options, McpSessionTracker sessions) : IEndpointFilter
{
    private const string Realm = "McpHost";
    private const string SessionIdHeader = "Mcp-Session-Id";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var settings = options.CurrentValue;

        var host = http.Request.Host.Host;
        if (!IsAllowedHost(host, settings.AllowedHosts))
        {
            return JsonRpcErrorResult.Create(StatusCodes.Status403Forbidden,
                $"Forbidden: host '{host}' is not allowed (McpHost:AllowedHosts).");
        }

        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin, settings.AllowedOrigins) && !IsLocalBrowserOrigin(http, origin))
        {
            return JsonRpcErrorResult.Create(StatusCodes.Status403Forbidden,
                $"Forbidden: origin '{origin}' is not allowed (McpHost:AllowedOrigins).");
        }

        if (!string.IsNullOrEmpty(settings.Token))
        {
            var presented = GetBearerToken(http.Request);
            if (presented is null || !TokensMatch(presented, settings.Token))
            {
                http.Response.Headers.WWWAuthenticate = presented is null
                    ? $"Bearer realm=\"{Realm}\""
                    : $"Bearer realm=\"{Realm}\", error=\"invalid_token\"";
                return JsonRpcErrorResult.Create(StatusCodes.Status401Unauthorized,
                    presented is null ? "Unauthorized: a bearer token is required." : "Unauthorized: the bearer token is not valid.");
            }
        }

        if (!http.Request.Path.StartsWithSegments(McpEndpoint.Path))
        {
            return await next(context);
        }
        if (HttpMethods.IsDelete(http.Request.Method) && http.Request.Headers[SessionIdHeader].ToString() is { Length: > 0 } deleting)
        {
            return await DeleteAsync(context, next, deleting);
        }
        if (!MayStartSession(http.Request))
        {
            return await next(context);
        }

        if (!sessions.TryReserve())
        {
            http.Response.Headers.RetryAfter = "5";
            return JsonRpcErrorResult.Create(StatusCodes.Status503ServiceUnavailable,
                "Service Unavailable: the session limit (McpHost:MaxSessions) is reached; retry later.");
        }
        var started = false;
        try
        {
            var result = await next(context);
            started = http.Response.Headers.ContainsKey(SessionIdHeader);
            return result;
        }
        finally
        {
            // A started session holds its slot until its server stops (McpSessionTracker.RunSessionAsync).
            if (!started)
            {
                sessions.Release();
            }
        }
    }

    private async ValueTask<object?> DeleteAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string sessionId)
    {
        sessions.MarkDeleting(sessionId);
        try
        {
            return await next(context);
        }
        finally
        {
            sessions.UnmarkDeleting(sessionId);
        }
    }

    /// <summary>
    /// A POST without a session id may be an initialize. Requests of the sessionless revision never start a
    /// session (the SDK serves them statelessly), so they need no slot.
    /// </summary>
    private static bool MayStartSession(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && string.IsNullOrEmpty(request.Headers[SessionIdHeader].ToString())
        && !McpEndpoint.IsSessionlessRevision(request.Headers["MCP-Protocol-Version"].ToString());

    internal static bool IsAllowedHost(string host, IReadOnlyCollection<string> allowed)
    {
        if (allowed.Count == 0)
        {
            return true;
        }
        foreach (var entry in allowed)
        {
            if (entry == "*" || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    internal static bool IsAllowedOrigin(string origin, IReadOnlyCollection<string> allowed)
    {
        var normalized = origin.TrimEnd('/');
        foreach (var entry in allowed)
        {
            if (entry == "*" || string.Equals(entry.TrimEnd('/'), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The spec's rule for local servers: a server listening on loopback, reached under a loopback name, accepts
    /// a page served from loopback (a browser-based client such as an inspector on another local port). A
    /// DNS-rebound page carries its own, foreign origin, and a foreign page cannot claim a loopback one.
    /// </summary>
    internal static bool IsLocalBrowserOrigin(HttpContext context, string origin) =>
        context.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local)
        && IsLoopbackName(context.Request.Host.Host)
        && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0
        && IsLoopbackName(uri.Host);

    private static bool IsLoopbackName(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string? GetBearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    // Constant time, so response timing does not reveal how much of a guess was right.
    private static bool TokensMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
