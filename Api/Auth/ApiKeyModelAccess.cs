using Platform.Api.Chat;

namespace Platform.Api.Auth;

/// <summary>
/// A key's model allow-list. An entry permits a requested model name when it is the same name, or when
/// both resolve (aliases, <c>provider/model</c>) to the same model route: the list limits which models a
/// key runs, not what it calls them. So allowing <c>gpt-4o-mini</c>, an alias of <c>offline</c>, also
/// permits <c>offline</c> and <c>offline/offline</c>. An empty list permits every model.
/// </summary>
public static class ApiKeyModelAccess
{
    /// <summary>Throws 403 model_not_allowed when the caller's key may not use <paramref name="requested"/>.</summary>
    /// <param name="resolve">The route a model name leads to on this endpoint (null: none), compared with <see cref="object.Equals(object?, object?)"/>.</param>
    public static void EnsureAllowed(HttpContext http, string requested, object route, Func<string, object?> resolve)
    {
        if (http.Features.Get<CallerApiKey>() is not { AllowedModels.Length: > 0 } key)
        {
            return;
        }
        foreach (var allowed in key.AllowedModels)
        {
            if (string.Equals(allowed, requested, StringComparison.Ordinal) || Equals(resolve(allowed), route))
            {
                return;
            }
        }
        throw new ChatGatewayException(StatusCodes.Status403Forbidden,
            $"This API key may not use the model '{requested}'; it may use: {string.Join(", ", key.AllowedModels)}.",
            "model", "model_not_allowed", "permission_error");
    }
}
