using System.Globalization;

namespace Platform.Api.Auth;

/// <summary>Rejects a key's requests past its <c>requests_per_minute</c> with 429 and Retry-After.</summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.GetApiKeyId() is not { } keyId
            || !int.TryParse(context.User.FindFirst(ApiClaims.RequestsPerMinute)?.Value, CultureInfo.InvariantCulture, out var limit))
        {
            await next(context);
            return;
        }

        var decision = await limiter.CheckRequestAsync(keyId, limit, context.RequestAborted);
        context.Response.Headers["x-ratelimit-limit-requests"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-remaining-requests"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Ceiling(decision.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(ApiError.Create(
            $"Rate limit reached: {decision.Limit} requests per minute for this API key.", "requests", code: "rate_limit_exceeded"));
    }
}
