using System.Text.Json.Serialization;

namespace Platform.Api.Usage;

/// <summary>Response of <c>GET /v1/usage</c>.</summary>
public sealed record UsageSummaryResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("group_by")] string GroupBy,
    [property: JsonPropertyName("data")] IReadOnlyList<UsageTotals> Data);

/// <summary>Totals of one group. <c>cost</c> sums priced records only; <c>unpriced</c> counts the others.</summary>
public class UsageTotals
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("requests")] public long Requests { get; set; }
    [JsonPropertyName("input_tokens")] public long InputTokens { get; set; }
    [JsonPropertyName("output_tokens")] public long OutputTokens { get; set; }
    [JsonPropertyName("cached_tokens")] public long CachedTokens { get; set; }
    [JsonPropertyName("cost")] public decimal Cost { get; set; }
    [JsonPropertyName("unpriced")] public long Unpriced { get; set; }
    [JsonPropertyName("cache_hits")] public long CacheHits { get; set; }
    [JsonPropertyName("tokens_saved")] public long TokensSaved { get; set; }
}

/// <summary>Response of <c>GET /v1/usage/series</c>: totals per bucket start (UTC) and group.</summary>
public sealed record UsageSeriesResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("group_by")] string GroupBy,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("data")] IReadOnlyList<UsageSeriesPoint> Data);

/// <summary>The totals of one group in one time bucket.</summary>
public sealed class UsageSeriesPoint : UsageTotals
{
    [JsonPropertyName("bucket")] public DateTime Bucket { get; set; }
}

/// <summary>Response of <c>GET /v1/usage/requests/{requestId}</c>.</summary>
public sealed record UsageRecordsResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("data")] IReadOnlyList<UsageRecordView> Data);

public sealed record UsageRecordView(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("api_key_id")] string? ApiKeyId,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("deployment")] string? Deployment,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input_tokens")] int InputTokens,
    [property: JsonPropertyName("output_tokens")] int OutputTokens,
    [property: JsonPropertyName("cached_tokens")] int CachedTokens,
    [property: JsonPropertyName("reasoning_tokens")] int ReasoningTokens,
    [property: JsonPropertyName("cost")] decimal? Cost,
    [property: JsonPropertyName("cache_hit")] bool CacheHit,
    [property: JsonPropertyName("tokens_saved")] int TokensSaved,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("time_to_first_token_ms")] double? TimeToFirstTokenMs,
    [property: JsonPropertyName("tool_calls")] int ToolCalls,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("streaming")] bool Streaming,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

/// <summary>Body of <c>PUT /v1/prices</c>: a price per million tokens valid from <c>effective_from</c> (default: now).</summary>
public sealed record PriceRequest(
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("input_per_million")] decimal? InputPerMillion,
    [property: JsonPropertyName("output_per_million")] decimal? OutputPerMillion,
    [property: JsonPropertyName("cached_input_per_million")] decimal? CachedInputPerMillion,
    [property: JsonPropertyName("effective_from")] DateTimeOffset? EffectiveFrom);

public sealed record PriceResponse(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input_per_million")] decimal InputPerMillion,
    [property: JsonPropertyName("output_per_million")] decimal OutputPerMillion,
    [property: JsonPropertyName("cached_input_per_million")] decimal? CachedInputPerMillion,
    [property: JsonPropertyName("effective_from")] DateTimeOffset EffectiveFrom);
