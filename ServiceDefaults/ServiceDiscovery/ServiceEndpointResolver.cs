using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves logical service URIs (<c>http://mcphost</c>, <c>https+http://mcphost</c>) to the
/// endpoints Aspire passes as <c>services__{name}__{scheme}__{index}</c>, the way
/// Microsoft.Extensions.ServiceDiscovery's configuration provider does.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>Returns the concrete base URI of a service, or null when configuration does not name it.</summary>
    public Uri? ResolveBaseUri(string serviceName, params string[] schemes)
    {
        foreach (var scheme in schemes)
        {
            var value = configuration[$"services:{serviceName}:{scheme}:0"];
            if (!string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }
        return null;
    }

    /// <summary>
    /// Rewrites a logical URI to a concrete one. "https+http" prefers https and falls back to http.
    /// Hosts that configuration does not name (real DNS names, IP addresses) are returned unchanged.
    /// </summary>
    public Uri Resolve(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return uri;
        }

        var schemes = uri.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var endpoint = ResolveBaseUri(uri.Host, schemes);
        if (endpoint is null)
        {
            if (schemes.Length > 1)
            {
                throw new InvalidOperationException(
                    $"No endpoint is configured for service '{uri.Host}' (looked for services:{uri.Host}:{string.Join("|", schemes)}:0).");
            }
            return uri;
        }

        var resolved = new UriBuilder(uri) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port };
        if (endpoint.AbsolutePath is { Length: > 1 } basePath)
        {
            resolved.Path = basePath.TrimEnd('/') + uri.AbsolutePath;
        }
        return resolved.Uri;
    }
}
