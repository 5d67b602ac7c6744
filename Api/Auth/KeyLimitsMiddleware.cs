using System.Globalization;

namespace Platform.Api.Auth;

/// <summary>
/// Applies the caller's key limits: requests per minute on every call; tokens per minute and the spend
/// budget on endpoints marked with <see cref="TokenQuotaMetadata"/> (chat completions, embeddings),
/// which are then settled with the request's real usage when it ends. A refusal is a 429 OpenAI error
/// with Retry-After; every limited response carries OpenAI's x-ratelimit-* headers. Runs after
/// authorization, so a request refused for its key, scope or model costs nothing.
/// </summary>
public sealed class KeyLimitsMiddleware(RequestDelegate next, KeyLimiter limiter, SpendPrices prices, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<CallerApiKey>() is not { HasLimits: true } key)
        {
            await next(context);
            return;
        }

        var metered = context.GetEndpoint()?.Metadata.GetMetadata<TokenQuotaMetadata>() is not null;
        var decision = await limiter.AdmitAsync(key, metered, context.RequestAborted);
        WriteHeaders(context.Response, key, metered, decision);
        if (!decision.Admitted)
        {
            await RefuseAsync(context, key, decision);
            return;
        }
        if (!metered || (key.TokensPerMinute is null && key.BudgetUsd is null))
        {
            await next(context);
            return;
        }

        if (key.BudgetUsd is not null)
        {
            await prices.EnsureFreshAsync(context.RequestAborted);
        }
        var tally = new KeyUsageTally();
        context.Features.Set(tally);
        try
        {
            await next(context);
        }
        finally
        {
            await limiter.SettleAsync(key, tally.Tokens, tally.Cost);
        }
    }

    private static void WriteHeaders(HttpResponse response, CallerApiKey key, bool metered, KeyLimitDecision decision)
    {
        if (key.RequestsPerMinute is { } requests)
        {
            response.Headers["x-ratelimit-limit-requests"] = requests.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-requests"] = Math.Max(requests - decision.Requests, 0).ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-requests"] = Duration(decision.RequestsReset);
        }
        if (metered && key.TokensPerMinute is { } tokens)
        {
            response.Headers["x-ratelimit-limit-tokens"] = tokens.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-tokens"] = Math.Max(tokens - decision.Tokens, 0).ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-tokens"] = Duration(decision.TokensReset);
        }
    }

    private async Task RefuseAsync(HttpContext context, CallerApiKey key, KeyLimitDecision decision)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        ApiErrorResponse error;
        TimeSpan? retryAfter;
        switch (decision.Refusal)
        {
            case KeyLimitRefusal.Requests:
                retryAfter = decision.RequestsReset;
                error = ApiError.Create($"Rate limit reached: {key.RequestsPerMinute} requests per minute for this API key. Retry in {Seconds(retryAfter.Value)} s.",
                    "requests", code: "rate_limit_exceeded");
                break;
            case KeyLimitRefusal.Tokens:
                retryAfter = decision.TokensReset;
                error = ApiError.Create($"Rate limit reached: {key.TokensPerMinute} tokens per minute for this API key ({decision.Tokens} used). Retry in {Seconds(retryAfter.Value)} s.",
                    "tokens", code: "rate_limit_exceeded");
                break;
            default:
                var (_, end) = key.BudgetPeriod.Bounds(time.GetUtcNow());
                retryAfter = end - time.GetUtcNow();
                var resets = end is { } at ? $"; it resets at {at:O}" : "; it does not reset";
                error = ApiError.Create(
                    $"This API key has used its {key.BudgetPeriod.Name()} budget of {key.BudgetUsd} USD ({decimal.Round(decision.Spent, 6)} spent){resets}.",
                    "insufficient_quota", code: "insufficient_quota");
                break;
        }
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }
        await response.WriteAsJsonAsync(error);
    }

    // Retry-After is whole seconds; rounding up keeps a client that honours it from being refused again.
    private static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    // OpenAI's x-ratelimit-reset-* are durations such as "1s" or "6m0s"; seconds with a fraction parse the same way.
    private static string Duration(TimeSpan wait) => wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}

/// <summary>Marks an endpoint whose calls spend tokens: the key's tokens per minute and budget apply to it.</summary>
public sealed class TokenQuotaMetadata
{
    public static readonly TokenQuotaMetadata Instance = new();
}

public static class TokenQuotaEndpointExtensions
{
    /// <summary>The caller key's tokens-per-minute limit and spend budget apply to this endpoint.</summary>
    public static TBuilder RequireTokenQuota<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(TokenQuotaMetadata.Instance);
}
