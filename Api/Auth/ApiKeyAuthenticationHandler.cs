using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Platform.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: the admin key from configuration, or an
/// API key whose hash is stored in PostgreSQL. No header means no identity (tenant "anonymous").
/// Expiry is checked here on every request, against the key as cached too, so a key stops working at
/// its <c>expires_at</c> on every instance whatever its cache holds. The key's limits go on as the
/// <see cref="CallerApiKey"/> feature, its scopes as claims.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> authOptions,
    ApiKeyStore keys,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.Fail(ApiKeyMessages.MalformedHeader);
        }

        var presented = header[7..].Trim();
        var hash = ApiKeyHasher.Hash(presented);

        if (authOptions.CurrentValue.AdminKey is { Length: > 0 } adminKey
            && CryptographicOperations.FixedTimeEquals(hash, ApiKeyHasher.Hash(adminKey)))
        {
            return Success([new(ClaimTypes.Name, "admin"), new(ClaimTypes.Role, ApiClaims.AdminRole), new(ApiClaims.TenantId, "admin")]);
        }

        var key = await keys.FindAsync(hash, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail(ApiKeyMessages.UnknownKey);
        }

        if (key.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            return AuthenticateResult.Fail(new ApiKeyExpiredException(expiresAt));
        }

        List<Claim> claims = [new(ClaimTypes.Name, key.Name), new(ApiClaims.TenantId, key.TenantId), new(ApiClaims.ApiKeyId, key.Id.ToString())];
        foreach (var scope in key.Scopes)
        {
            claims.Add(new(ApiClaims.Scope, scope));
        }
        Context.Features.Set(CallerApiKey.From(key));
        return Success([.. claims]);
    }

    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiClaims.Scheme)), ApiClaims.Scheme));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        await Response.WriteAsJsonAsync(result.Failure is ApiKeyExpiredException expired
            ? ApiError.Create(expired.Message, "invalid_request_error", code: "expired_api_key")
            : ApiError.Create(ApiKeyMessages.Challenge(result.Failure?.Message, authOptions.CurrentValue.RequireApiKey), "invalid_request_error", code: "invalid_api_key"));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(ApiError.Create("This operation needs the admin key.", "permission_error", code: "forbidden"));
    }
}

/// <summary>Why an expired key failed authentication, so the challenge can say so (401 expired_api_key).</summary>
public sealed class ApiKeyExpiredException(DateTimeOffset expiredAt)
    : Exception($"This API key expired at {expiredAt.ToUniversalTime():O}.");
