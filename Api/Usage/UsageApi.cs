using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;

namespace Platform.Api.Usage;

public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup("/v1/usage").WithTags("Usage").RequireAuthorization(ApiClaims.CallerPolicy);
        usage.MapGet("/", GetSummaryAsync);
        usage.MapGet("/requests/{requestId}", GetRequestAsync);

        app.MapPut("/v1/prices", PutPriceAsync).WithTags("Usage").RequireAuthorization(ApiClaims.AdminPolicy);
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

    /// <summary>The records of one request; empty while they are still on their way to the database.</summary>
    public static async Task<Ok<UsageRecordsResponse>> GetRequestAsync(
        string requestId, ClaimsPrincipal user, UsageQueries queries, CancellationToken cancellationToken)
    {
        var records = await queries.GetRequestAsync(requestId, TenantScope(user), cancellationToken);
        return TypedResults.Ok(new UsageRecordsResponse("list", requestId, records));
    }

    public static async Task<Results<Ok<PriceResponse>, JsonHttpResult<ApiErrorResponse>>> PutPriceAsync(
        PriceRequest request, UsageQueries queries, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } error)
        {
            return TypedResults.Json(ApiError.Create(error.Message, param: error.Param, code: "invalid_price"), statusCode: StatusCodes.Status400BadRequest);
        }
        var price = new PriceResponse(request.Provider!, request.Model!, request.InputPerMillion!.Value, request.OutputPerMillion!.Value,
            request.CachedInputPerMillion, (request.EffectiveFrom ?? DateTimeOffset.UtcNow).ToUniversalTime());
        await queries.SetPriceAsync(price, cancellationToken);
        return TypedResults.Ok(price);
    }

    private static (string Param, string Message)? Validate(PriceRequest request) => request switch
    {
        { Provider: null or "" } => ("provider", "'provider' is required."),
        { Model: null or "" } => ("model", "'model' is required."),
        { InputPerMillion: null or < 0 } => ("input_per_million", "'input_per_million' is required and must not be negative."),
        { OutputPerMillion: null or < 0 } => ("output_per_million", "'output_per_million' is required and must not be negative."),
        { CachedInputPerMillion: < 0 } => ("cached_input_per_million", "'cached_input_per_million' must not be negative."),
        _ => null,
    };

    /// <summary>Null (all tenants) for admins; otherwise the caller's own tenant.</summary>
    private static string? TenantScope(ClaimsPrincipal user) =>
        user.IsInRole(ApiClaims.AdminRole) ? null : user.GetTenantId();
}
