using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Hybrid;
using Platform.Api.Auth;
using Platform.Caching;

namespace Platform.Api.Caching;

/// <summary>
/// Admin only: <c>GET /v1/cache/stats</c> (its figures are every tenant's traffic together) and
/// <c>DELETE /v1/cache[?tag=]</c>.
/// </summary>
public static class CacheApi
{
    public static IEndpointRouteBuilder MapCacheEndpoints(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/cache").WithTags("Cache").RequireAuthorization(ApiClaims.AdminPolicy);
        group.MapGet("/stats", GetStatistics);
        group.MapDelete("/", RemoveAsync);
        return app;
    }

    public static Ok<CacheStatsResponse> GetStatistics(ClusteredHybridCache cache) =>
        TypedResults.Ok(CacheStatsResponse.From(cache.GetStatistics()));

    public static async Task<Ok<CacheRemovedResponse>> RemoveAsync(HybridCache cache, string? tag, CancellationToken cancellationToken)
    {
        // No tag: everything ("*" invalidates every entry on every instance).
        var removed = string.IsNullOrWhiteSpace(tag) ? "*" : tag;
        await cache.RemoveByTagAsync(removed, cancellationToken);
        return TypedResults.Ok(new CacheRemovedResponse(removed));
    }
}
