using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Chat;
using Platform.Api.Infrastructure;

namespace Platform.Api.Usage;

public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup("/v1/usage").WithTags("Usage").RequireAuthorization(ApiKeyScopes.UsageReadPolicy);
        usage.MapGet("/", GetSummaryAsync);
        usage.MapGet("/series", GetSeriesAsync);
        usage.MapGet("/requests/{requestId}", GetRequestAsync);

        app.MapPut("/v1/prices", PutPriceAsync).WithTags("Usage").RequireAuthorization(ApiClaims.AdminPolicy).WithRequestBodyLimit(MaxPriceBodyBytes);
        return app;
    }

    /// <summary>Totals grouped by model, day (UTC) or key over [from, to). Callers see their tenant; admins see all.</summary>
    public static async Task<Results<Ok<UsageSummaryResponse>, JsonHttpResult<ApiErrorResponse>>> GetSummaryAsync(
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? groupBy,
        ClaimsPrincipal user, UsageQueries queries, CancellationToken cancellationToken)
    {
        if (!UsageQuery.TryParse(from, to, groupBy, DateTimeOffset.UtcNow, out var query, out var error))
        {
            return TypedResults.Json(ApiError.Create(error.Message, param: error.Param, code: "invalid_usage_query"), statusCode: StatusCodes.Status400BadRequest);
        }
        var totals = await queries.SummarizeAsync(query, TenantScope(user), cancellationToken);
        return TypedResults.Ok(new UsageSummaryResponse("usage.summary", query.From, query.To, query.GroupBy.Name(), totals));
    }

    /// <summary>Totals per time bucket (minute, hour, day; UTC) and group over [from, to), for charts. Scoped as the summary.</summary>
    public static async Task<Results<Ok<UsageSeriesResponse>, JsonHttpResult<ApiErrorResponse>>> GetSeriesAsync(
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? groupBy, [FromQuery] string? bucket,
        ClaimsPrincipal user, UsageQueries queries, CancellationToken cancellationToken)
    {
        if (!UsageSeriesQuery.TryParse(from, to, groupBy, bucket, DateTimeOffset.UtcNow, out var query, out var error))
        {
            return TypedResults.Json(ApiError.Create(error.Message, param: error.Param, code: "invalid_usage_query"), statusCode: StatusCodes.Status400BadRequest);
        }
        var points = await queries.SeriesAsync(query, TenantScope(user), cancellationToken);
        return TypedResults.Ok(new UsageSeriesResponse("usage.series", query.Range.From, query.Range.To, query.Range.GroupBy.Name(), query.Bucket.Name(), points));
    }

    /// <summary>The records of one request; empty while they are still on their way to the database.</summary>
    public static async Task<Results<Ok<UsageRecordsResponse>, OpenAIErrorResult>> GetRequestAsync(
        string requestId, ClaimsPrincipal user, UsageQueries queries, CancellationToken cancellationToken)
    {
        // Ids are what x-request-id carries; anything else (a NUL, say) can match no record and must not reach PostgreSQL.
        if (!RequestIdMiddleware.IsValid(requestId))
        {
            return OpenAIErrorResult.From(ChatGatewayException.BadRequest(
                "'requestId' must be an x-request-id: up to 128 letters, digits, '-', '_', '.' or ':'.", "requestId", "invalid_request_id"));
        }
        var records = await queries.GetRequestAsync(requestId, TenantScope(user), cancellationToken);
        return TypedResults.Ok(new UsageRecordsResponse("list", requestId, records));
    }

    /// <summary>A price's body is a few fields; anything near this size is a mistake or an attack.</summary>
    public const long MaxPriceBodyBytes = 64 * 1024;

    /// <summary>model_prices columns are numeric(20, 10): ten digits before the point.</summary>
    private const decimal MaxPricePerMillion = 9_999_999_999m;

    // The body is read by JsonRequestReader rather than bound as a parameter, so that every way it can be
    // wrong (not JSON, not UTF-8, wrong types, null, too large) is a 4xx naming the field.
    public static async Task<Results<Ok<PriceResponse>, OpenAIErrorResult>> PutPriceAsync(
        HttpContext http, UsageQueries queries, CancellationToken cancellationToken)
    {
        PriceRequest request;
        try
        {
            request = await JsonRequestReader.ReadAsync<PriceRequest>(http, MaxPriceBodyBytes, "the limit for admin requests");
            Validate(request);
        }
        catch (ChatGatewayException e)
        {
            return OpenAIErrorResult.From(e);
        }
        var price = new PriceResponse(request.Provider!, request.Model!, request.InputPerMillion!.Value, request.OutputPerMillion!.Value,
            request.CachedInputPerMillion, (request.EffectiveFrom ?? DateTimeOffset.UtcNow).ToUniversalTime());
        await queries.SetPriceAsync(price, cancellationToken);
        return TypedResults.Ok(price);
    }

    private static void Validate(PriceRequest request)
    {
        RequestText.CheckName(request.Provider, "provider");
        RequestText.CheckName(request.Model, "model");
        CheckPrice(request.InputPerMillion, "input_per_million", required: true);
        CheckPrice(request.OutputPerMillion, "output_per_million", required: true);
        CheckPrice(request.CachedInputPerMillion, "cached_input_per_million", required: false);
    }

    private static void CheckPrice(decimal? value, string param, bool required)
    {
        switch (value)
        {
            case null when required:
                throw ChatGatewayException.BadRequest($"'{param}' is required.", param, "missing_required_parameter");
            case < 0:
                throw ChatGatewayException.BadRequest($"'{param}' must not be negative.", param, "invalid_price");
            case > MaxPricePerMillion:
                throw ChatGatewayException.BadRequest($"'{param}' must be at most {MaxPricePerMillion}.", param, "invalid_price");
        }
    }

    /// <summary>Null (all tenants) for admins; otherwise the caller's own tenant.</summary>
    private static string? TenantScope(ClaimsPrincipal user) =>
        user.IsInRole(ApiClaims.AdminRole) ? null : user.GetTenantId();
}
