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
            error = ("groupBy", $"'groupBy' must be one of model, day, key; got '{groupBy}'.");
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
            default: grouping = default; return false;
        }
    }

    public static string Name(this UsageGrouping grouping) => grouping.ToString().ToLowerInvariant();
}
