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
        builder.Services.AddAuthentication(ApiClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiClaims.Scheme, null);

        var requireKey = builder.Configuration.GetValue<bool>($"{AuthOptions.SectionName}:{nameof(AuthOptions.RequireApiKey)}");
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiClaims.AdminPolicy, policy => policy.RequireRole(ApiClaims.AdminRole))
            .AddPolicy(ApiClaims.CallerPolicy, policy =>
            {
                // Without RequireApiKey anonymous callers pass, but a presented key must still be valid.
                if (requireKey)
                {
                    policy.RequireAuthenticatedUser();
                }
                else
                {
                    policy.RequireAssertion(context => context.Resource is not HttpContext http
                        || http.Request.Headers.Authorization.Count == 0
                        || http.User.Identity?.IsAuthenticated == true);
                }
            });
        return builder;
    }
}
