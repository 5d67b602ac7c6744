using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Platform.Api.Auth;
using Platform.Api.Providers;

namespace Platform.Api.Pipeline;

/// <summary>
/// The one place that decides who the tenant is (from API-key authentication) and how cache
/// directives are read.
/// </summary>
public sealed class ChatRequestContextFactory
{
    public const string AnonymousTenant = ApiClaims.AnonymousTenant;

    public ChatRequestContext Create(
        HttpContext http, string requestId, string requestedModel, ModelRoute route, bool stream, IReadOnlyList<JsonElement> extensionTools)
    {
        var (noCache, noStore) = ReadCacheDirectives(http.Request.Headers.CacheControl);
        return new ChatRequestContext
        {
            RequestId = requestId,
            TenantId = ResolveTenant(http.User),
            ProviderName = route.ProviderName,
            ModelId = route.ModelId,
            RequestedModel = requestedModel,
            Stream = stream,
            NoCache = noCache || noStore,
            NoStore = noStore,
            ExtensionTools = extensionTools,
        };
    }

    /// <summary>The tenant of the authenticated API key (its <see cref="ApiClaims.TenantId"/> claim), else anonymous.</summary>
    public static string ResolveTenant(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? user.GetTenantId() : AnonymousTenant;

    private static (bool NoCache, bool NoStore) ReadCacheDirectives(Microsoft.Extensions.Primitives.StringValues cacheControl)
    {
        if (cacheControl.Count == 0 || !CacheControlHeaderValue.TryParse(cacheControl.ToString(), out var parsed))
        {
            return (false, false);
        }
        return (parsed.NoCache, parsed.NoStore);
    }
}
