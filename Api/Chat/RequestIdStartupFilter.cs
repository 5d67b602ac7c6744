using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Platform.Api.Chat;

/// <summary>
/// Puts <see cref="RequestIdMiddleware"/> in front of every other middleware, so that responses
/// written early (authentication, rate limiting, health) carry <c>x-request-id</c> too.
/// </summary>
public sealed class RequestIdStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(RequestIdMiddleware.InvokeAsync);
        next(app);
    };
}
