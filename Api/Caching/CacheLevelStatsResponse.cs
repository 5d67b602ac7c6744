using System.Text.Json.Serialization;
using Platform.Caching;

namespace Platform.Api.Caching;

/// <summary>One level's totals in <see cref="CacheStatsResponse"/>.</summary>
public sealed record CacheLevelStatsResponse(
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("misses")] long Misses,
    [property: JsonPropertyName("hit_rate")] double HitRate,
    [property: JsonPropertyName("sets")] long Sets,
    [property: JsonPropertyName("evictions")] long Evictions,
    [property: JsonPropertyName("errors")] long Errors)
{
    public static CacheLevelStatsResponse From(CacheLevelStatistics level) =>
        new(level.Hits, level.Misses, level.HitRate, level.Sets, level.Evictions, level.Errors);
}
