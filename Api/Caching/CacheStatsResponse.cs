using System.Text.Json.Serialization;
using Platform.Caching;

namespace Platform.Api.Caching;

/// <summary>Body of <c>GET /v1/cache/stats</c>.</summary>
public sealed record CacheStatsResponse(
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("misses")] long Misses,
    [property: JsonPropertyName("hit_rate")] double HitRate,
    [property: JsonPropertyName("entries")] long Entries,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("factory_calls")] long FactoryCalls,
    [property: JsonPropertyName("l2_available")] bool L2Available,
    [property: JsonPropertyName("l1")] CacheLevelStatsResponse L1,
    [property: JsonPropertyName("l2")] CacheLevelStatsResponse L2)
{
    public static CacheStatsResponse From(CacheStatistics statistics) => new(
        statistics.Hits,
        statistics.Misses,
        statistics.HitRate,
        statistics.LocalEntries,
        statistics.LocalBytes,
        statistics.FactoryCalls,
        statistics.DistributedAvailable,
        CacheLevelStatsResponse.From(statistics.Local),
        CacheLevelStatsResponse.From(statistics.Distributed));
}
