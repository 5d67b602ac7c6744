using System.Security.Claims;

namespace Platform.Api.Auth;

public static class ApiClaims
{
    public const string Scheme = "ApiKey";
    public const string AdminPolicy = "admin";
    public const string CallerPolicy = "caller";
    public const string AdminRole = "admin";
    public const string TenantId = "tenant_id";
    public const string ApiKeyId = "api_key_id";
    public const string AnonymousTenant = "anonymous";
    /// <summary>One claim per scope the key holds (see <see cref="ApiKeyScopes"/>).</summary>
    public const string Scope = "scope";

    public static string GetTenantId(this ClaimsPrincipal user) => user.FindFirstValue(TenantId) ?? AnonymousTenant;

    public static string? GetApiKeyId(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyId);
}
