using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.McpHost.Transport;

namespace Platform.McpHost.Security;

/// <summary>
/// Guards /mcp and /admin against DNS rebinding (the Host must be one this server answers to, and a
/// browser Origin must be on the allow list: 403), then the bearer token must match
/// <see cref="McpHostOptions.Token"/> when one is configured (401).
/// </summary>
internal sealed class McpAccessFilter(IOptionsMonitor<McpHostOptions> options) : IEndpointFilter
{
    private const string Realm = "McpHost";

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
        if (origin.Length > 0 && !IsAllowedOrigin(origin, settings.AllowedOrigins))
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

        return await next(context);
    }

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
