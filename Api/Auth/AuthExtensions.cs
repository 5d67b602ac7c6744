using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Usage;

namespace Platform.Api.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyStore>();
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
        app.UseAuthorization();
        app.UseMiddleware<KeyLimitsMiddleware>();
        return app;
    }
}
