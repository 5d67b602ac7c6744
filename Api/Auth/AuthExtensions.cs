using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Platform.Api.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<RateLimiter>();
        builder.Services.AddAuthentication(ApiClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiClaims.Scheme, null);

        // Endpoints without their own policy (every /v1 route) get the caller policy; health probes opt out.
        // Read per request, so that the bound options (appsettings.json: required) decide, not a start-up snapshot.
        var caller = new AuthorizationPolicyBuilder(ApiClaims.Scheme)
            .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
                || (context.Resource is HttpContext http
                    // Anonymous callers pass only where keys are optional; a presented key must always be valid.
                    && http.Request.Headers.Authorization.Count == 0
                    && !http.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.RequireApiKey))
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
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!options.RequireApiKey && !app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("Auth:RequireApiKey is false outside Development: callers without an API key are served as tenant '{Tenant}'.", ApiClaims.AnonymousTenant);
        }
        if (string.IsNullOrEmpty(options.AdminKey))
        {
            app.Logger.LogInformation("Auth:AdminKey is empty: admin operations (keys, prices, cache, tool refresh) are refused.");
        }
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseAuthorization();
        return app;
    }
}
