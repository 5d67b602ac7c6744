using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Platform.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: the admin key from configuration, or an
/// API key whose hash is stored in PostgreSQL. No header means no identity (tenant "anonymous").
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> authOptions,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
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

        List<Claim> claims = [new(ClaimTypes.Name, key.Name), new(ApiClaims.TenantId, key.TenantId), new(ApiClaims.ApiKeyId, key.Id.ToString())];
        if (key.RequestsPerMinute is { } limit)
        {
            claims.Add(new(ApiClaims.RequestsPerMinute, limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return Success([.. claims]);
    }

    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiClaims.Scheme)), ApiClaims.Scheme));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await Response.WriteAsJsonAsync(ApiError.Create(
            ApiKeyMessages.Challenge(failure, authOptions.CurrentValue.RequireApiKey), "invalid_request_error", code: "invalid_api_key"));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(ApiError.Create("This operation needs the admin key.", "permission_error", code: "forbidden"));
    }
}
