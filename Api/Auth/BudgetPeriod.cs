namespace Platform.Api.Auth;

/// <summary>
/// The window a key's spend budget covers. Periods are calendar periods in UTC: a daily budget resets
/// at 00:00 UTC, a monthly one at 00:00 UTC on the 1st; a total budget never resets.
/// </summary>
public enum BudgetPeriod
{
    Daily,
    Monthly,
    Total,
}

public static class BudgetPeriods
{
    public const string Names = "daily, monthly, total";

    public static bool TryParse(string? text, out BudgetPeriod period)
    {
        switch (text)
        {
            case "daily": period = BudgetPeriod.Daily; return true;
            case "monthly": period = BudgetPeriod.Monthly; return true;
            case "total": period = BudgetPeriod.Total; return true;
            default: period = default; return false;
        }
    }

    public static string Name(this BudgetPeriod period) => period.ToString().ToLowerInvariant();

    /// <summary>The period that contains <paramref name="now"/>: its start, and its end (null for <see cref="BudgetPeriod.Total"/>).</summary>
    public static (DateTimeOffset Start, DateTimeOffset? End) Bounds(this BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period switch
        {
            BudgetPeriod.Daily => (new DateTimeOffset(utc.Date, TimeSpan.Zero), new DateTimeOffset(utc.Date, TimeSpan.Zero).AddDays(1)),
            BudgetPeriod.Monthly => (new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1)),
            _ => (DateTimeOffset.UnixEpoch, null),
        };
    }
}
