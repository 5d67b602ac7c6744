using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Platform.Api.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<RateLimiter>();
        builder.Services.AddAuthentication(ApiClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiClaims.Scheme, null);

        var requireKey = builder.Configuration.GetValue<bool>($"{AuthOptions.SectionName}:{nameof(AuthOptions.RequireApiKey)}");
        // Endpoints without their own policy (every /v1 route) get the caller policy; health probes opt out.
        var caller = requireKey
            ? new AuthorizationPolicyBuilder(ApiClaims.Scheme).RequireAuthenticatedUser().Build()
            : new AuthorizationPolicyBuilder(ApiClaims.Scheme)
                // Anonymous callers pass, but a presented key must still be valid.
                .RequireAssertion(context => context.Resource is not HttpContext http
                    || http.Request.Headers.Authorization.Count == 0
                    || http.User.Identity?.IsAuthenticated == true)
                .Build();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiClaims.AdminPolicy, policy => policy.AddAuthenticationSchemes(ApiClaims.Scheme).RequireRole(ApiClaims.AdminRole))
            .AddPolicy(ApiClaims.CallerPolicy, caller)
            .SetFallbackPolicy(caller);
        return builder;
    }

    /// <summary>Authentication, per-key rate limits, then authorization.</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseAuthorization();
        return app;
    }
}
