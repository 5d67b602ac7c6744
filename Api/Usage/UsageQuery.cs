using System.Globalization;

namespace Platform.Api.Usage;

/// <summary>The validated parameters of <c>GET /v1/usage</c>.</summary>
public sealed record UsageQuery(DateTimeOffset From, DateTimeOffset To, UsageGrouping GroupBy)
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    /// <summary>Parses the query string; on failure <paramref name="error"/> names the parameter and what is wrong.</summary>
    public static bool TryParse(string? from, string? to, string? groupBy, DateTimeOffset now, out UsageQuery query, out (string Param, string Message) error)
    {
        query = null!;
        error = default;
        if (!TryParseTime(to, now, out var end))
        {
            error = ("to", $"'to' must be an ISO 8601 date or date-time, got '{to}'.");
            return false;
        }
        if (!TryParseTime(from, end - DefaultRange, out var start))
        {
            error = ("from", $"'from' must be an ISO 8601 date or date-time, got '{from}'.");
            return false;
        }
        if (start >= end)
        {
            error = ("from", $"'from' ({start:O}) must be earlier than 'to' ({end:O}).");
            return false;
        }
        if (!UsageGroupingNames.TryParse(groupBy ?? "model", out var grouping))
        {
            error = ("groupBy", $"'groupBy' must be one of model, day, key, deployment, tenant; got '{groupBy}'.");
            return false;
        }
        query = new UsageQuery(start.ToUniversalTime(), end.ToUniversalTime(), grouping);
        return true;
    }

    private static bool TryParseTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}

public enum UsageGrouping
{
    Model,
    Day,
    Key,
    Deployment,
    Tenant,
}

/// <summary>The width of one point of <c>GET /v1/usage/series</c>.</summary>
public enum UsageBucket
{
    Minute,
    Hour,
    Day,
}

public static class UsageGroupingNames
{
    public static bool TryParse(string text, out UsageGrouping grouping)
    {
        switch (text.ToLowerInvariant())
        {
            case "model": grouping = UsageGrouping.Model; return true;
            case "day": grouping = UsageGrouping.Day; return true;
            case "key": grouping = UsageGrouping.Key; return true;
            case "deployment": grouping = UsageGrouping.Deployment; return true;
            case "tenant": grouping = UsageGrouping.Tenant; return true;
            default: grouping = default; return false;
        }
    }

    public static string Name(this UsageGrouping grouping) => grouping.ToString().ToLowerInvariant();

    public static string Name(this UsageBucket bucket) => bucket.ToString().ToLowerInvariant();
}

/// <summary>The validated parameters of <c>GET /v1/usage/series</c>: totals per time bucket and group.</summary>
public sealed record UsageSeriesQuery(UsageQuery Range, UsageBucket Bucket)
{
    /// <summary>Points per group a series may have; a wider range needs a wider bucket.</summary>
    public const int MaxBuckets = 2000;

    public static bool TryParse(string? from, string? to, string? groupBy, string? bucket, DateTimeOffset now, out UsageSeriesQuery query, out (string Param, string Message) error)
    {
        query = null!;
        if (!UsageQuery.TryParse(from, to, groupBy, now, out var range, out error))
        {
            return false;
        }
        UsageBucket width;
        switch ((bucket ?? "hour").ToLowerInvariant())
        {
            case "minute": width = UsageBucket.Minute; break;
            case "hour": width = UsageBucket.Hour; break;
            case "day": width = UsageBucket.Day; break;
            default:
                error = ("bucket", $"'bucket' must be one of minute, hour, day; got '{bucket}'.");
                return false;
        }
        var buckets = (range.To - range.From) / Width(width);
        if (buckets > MaxBuckets)
        {
            error = ("bucket", $"{buckets:0} {width.Name()} buckets from 'from' to 'to'; at most {MaxBuckets} are served: choose a wider bucket or a shorter range.");
            return false;
        }
        query = new UsageSeriesQuery(range, width);
        return true;
    }

    private static TimeSpan Width(UsageBucket bucket) => bucket switch
    {
        UsageBucket.Minute => TimeSpan.FromMinutes(1),
        UsageBucket.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };
}
