using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Usage;

namespace Platform.Api.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyStore>();
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
        var authorization = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiClaims.AdminPolicy, policy => policy.AddAuthenticationSchemes(ApiClaims.Scheme).RequireRole(ApiClaims.AdminRole))
            .AddPolicy(ApiClaims.CallerPolicy, caller)
            .SetFallbackPolicy(caller);
        // "scope:chat" and the others: a caller as above whose key also holds the scope.
        foreach (var scope in ApiKeyScopes.All)
        {
            authorization.AddPolicy(ApiKeyScopes.PolicyFor(scope), policy => policy.Combine(caller).AddRequirements(new ApiKeyScopeRequirement(scope)));
        }
        builder.Services.AddSingleton<IAuthorizationHandler, ApiKeyScopeHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiKeyAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>
    /// Per-key rate limits and budgets. Call after the usage sink is registered (<c>AddUsageCapture</c>):
    /// it wraps that sink to learn each request's tokens and cost.
    /// </summary>
    public static IHostApplicationBuilder AddApiKeyLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyLimitsOptions>().BindConfiguration(KeyLimitsOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<LocalKeyLimiter>();
        builder.Services.AddSingleton<KeyLimiter>();
        builder.Services.AddSingleton<SpendPrices>();

        var sink = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IUsageSink))
            ?? throw new InvalidOperationException("AddApiKeyLimits needs the usage sink: call AddUsageCapture first.");
        builder.Services.AddSingleton<IUsageSink>(sp => new KeyUsageTallySink(
            sink switch
            {
                { ImplementationInstance: IUsageSink instance } => instance,
                { ImplementationFactory: { } factory } => (IUsageSink)factory(sp),
                _ => (IUsageSink)ActivatorUtilities.CreateInstance(sp, sink.ImplementationType!),
            },
            sp.GetRequiredService<IHttpContextAccessor>(),
            sp.GetRequiredService<SpendPrices>()));
        return builder;
    }

    /// <summary>Authentication, authorization (scopes), then the per-key limits.</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<KeyLimitsMiddleware>();
        return app;
    }
}
