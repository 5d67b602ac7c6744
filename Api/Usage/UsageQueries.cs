using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Api.Infrastructure;
using Platform.Data;

namespace Platform.Api.Usage;

/// <summary>
/// Read side of usage. Every query filters on a created_at range (ix_usage_records_created_at, or
/// ix_usage_records_tenant_id_created_at when scoped to a tenant) or on request_id
/// (ix_usage_records_request_id).
/// </summary>
public sealed class UsageQueries(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options)
{
    // The columns of UsageTotals, shared by the summary and the series.
    private const string Totals = """
        count(*)::bigint AS "Requests",
        coalesce(sum(input_tokens), 0)::bigint AS "InputTokens",
        coalesce(sum(output_tokens), 0)::bigint AS "OutputTokens",
        coalesce(sum(cached_tokens), 0)::bigint AS "CachedTokens",
        coalesce(sum(cost), 0) AS "Cost",
        count(*) FILTER (WHERE cost IS NULL)::bigint AS "Unpriced",
        count(*) FILTER (WHERE cache_hit)::bigint AS "CacheHits",
        coalesce(sum(tokens_saved), 0)::bigint AS "TokensSaved"
        """;

    /// <summary>
    /// Runs against a context of its own, within Database:RequestTimeout: a query the deadline gave up on may
    /// still be connecting, and must not hold up the disposal of the request's services.
    /// </summary>
    private Task<T> RunAsync<T>(Func<PlatformDbContext, CancellationToken, Task<T>> query, CancellationToken cancellationToken) =>
        DatabaseDeadline.RunAsync(async token =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await query(scope.ServiceProvider.GetRequiredService<PlatformDbContext>(), token);
        }, options.Value.RequestTimeout, cancellationToken);

    public async Task<IReadOnlyList<UsageTotals>> SummarizeAsync(UsageQuery query, string? tenantId, CancellationToken cancellationToken)
    {
        var key = GroupKey(query.GroupBy);
        var tenantFilter = tenantId is null ? "" : " AND tenant_id = {2}";
        var sql = $"""
            SELECT {key} AS "Key",
                   {Totals}
            FROM usage_records
            WHERE created_at >= {"{0}"} AND created_at < {"{1}"}{tenantFilter}
            GROUP BY 1
            ORDER BY 1
            """;
        object[] parameters = tenantId is null ? [query.From, query.To] : [query.From, query.To, tenantId];
        return await RunAsync((db, token) => db.Database.SqlQueryRaw<UsageTotals>(sql, parameters).ToListAsync(token), cancellationToken);
    }

    /// <summary>Totals per time bucket (UTC) and group, for charts; buckets without records are left out.</summary>
    public async Task<IReadOnlyList<UsageSeriesPoint>> SeriesAsync(UsageSeriesQuery query, string? tenantId, CancellationToken cancellationToken)
    {
        var key = GroupKey(query.Range.GroupBy);
        var tenantFilter = tenantId is null ? "" : " AND tenant_id = {2}";
        var sql = $"""
            SELECT date_trunc('{query.Bucket.Name()}', created_at, 'UTC') AS "Bucket",
                   {key} AS "Key",
                   {Totals}
            FROM usage_records
            WHERE created_at >= {"{0}"} AND created_at < {"{1}"}{tenantFilter}
            GROUP BY 1, 2
            ORDER BY 1, 2
            """;
        object[] parameters = tenantId is null ? [query.Range.From, query.Range.To] : [query.Range.From, query.Range.To, tenantId];
        return await RunAsync((db, token) => db.Database.SqlQueryRaw<UsageSeriesPoint>(sql, parameters).ToListAsync(token), cancellationToken);
    }

    // The grouping expression comes from a closed set, never from the request text.
    private static string GroupKey(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Day => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        UsageGrouping.Key => "coalesce(api_key_id, tenant_id)",
        // Cache hits and calls no deployment answered have none; records from before deployments either.
        UsageGrouping.Deployment => "coalesce(deployment, CASE WHEN cache_hit THEN '(cache)' ELSE '(none)' END)",
        UsageGrouping.Tenant => "tenant_id",
        _ => "model",
    };

    public async Task<IReadOnlyList<UsageRecordView>> GetRequestAsync(string requestId, string? tenantId, CancellationToken cancellationToken) =>
        await RunAsync((db, token) => db.UsageRecords.AsNoTracking()
            .Where(r => r.RequestId == requestId && (tenantId == null || r.TenantId == tenantId))
            .OrderBy(r => r.CreatedAt)
            .Select(r => new UsageRecordView(r.Id, r.TenantId, r.ApiKeyId, r.Provider, r.Deployment, r.Model, r.InputTokens, r.OutputTokens,
                r.CachedTokens, r.ReasoningTokens, r.Cost, r.CacheHit, r.TokensSaved, r.LatencyMs, r.TimeToFirstTokenMs,
                r.ToolCalls, r.Status, r.Streaming, r.CreatedAt))
            .ToListAsync(token), cancellationToken);

    /// <summary>Adds a price, or replaces the one with the same provider, model and EffectiveFrom.</summary>
    public Task SetPriceAsync(PriceResponse price, CancellationToken cancellationToken) =>
        RunAsync((db, token) => db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO model_prices (provider, model, input_per_million, output_per_million, cached_input_per_million, effective_from)
            VALUES ({price.Provider}, {price.Model}, {price.InputPerMillion}, {price.OutputPerMillion}, {price.CachedInputPerMillion}, {price.EffectiveFrom})
            ON CONFLICT (provider, model, effective_from) DO UPDATE
            SET input_per_million = excluded.input_per_million,
                output_per_million = excluded.output_per_million,
                cached_input_per_million = excluded.cached_input_per_million
            """, token), cancellationToken);
}
