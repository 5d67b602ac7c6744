using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Platform.Api.Auth;

/// <summary>
/// Turns a missing scope into OpenAI's error object (403 permission_error, code insufficient_scope,
/// naming the scope); every other outcome goes to ASP.NET Core's default handling (challenge or forbid
/// through <see cref="ApiKeyAuthenticationHandler"/>).
/// </summary>
public sealed class ApiKeyAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ScopeFailureReason>().FirstOrDefault() is { } missing)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(ApiError.Create(missing.Message, "permission_error", param: missing.Scope, code: "insufficient_scope"));
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
