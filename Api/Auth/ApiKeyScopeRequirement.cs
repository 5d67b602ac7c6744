using Microsoft.AspNetCore.Authorization;

namespace Platform.Api.Auth;

/// <summary>The caller's key must carry <see cref="Scope"/>.</summary>
public sealed class ApiKeyScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}

/// <summary>
/// Checks <see cref="ApiKeyScopeRequirement"/>. The admin key holds every scope. A caller without a key
/// (allowed only when <c>Auth:RequireApiKey</c> is false) is not judged here: the caller requirement of
/// the same policy decides about it, so anonymous development use keeps working.
/// </summary>
public sealed class ApiKeyScopeHandler : AuthorizationHandler<ApiKeyScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiKeyScopeRequirement requirement)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || user.IsInRole(ApiClaims.AdminRole) || user.HasClaim(ApiClaims.Scope, requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new ScopeFailureReason(this, requirement.Scope));
        }
        return Task.CompletedTask;
    }
}

/// <summary>Why a key was refused, for <see cref="ApiKeyAuthorizationResultHandler"/> to name the missing scope.</summary>
public sealed class ScopeFailureReason(IAuthorizationHandler handler, string scope)
    : AuthorizationFailureReason(handler, $"This API key lacks the '{scope}' scope that this endpoint requires.")
{
    public string Scope { get; } = scope;
}
