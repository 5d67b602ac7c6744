namespace Platform.Api.Auth;

/// <summary>Bound from <c>Auth:Limits</c>: how per-key rate limits and budgets are counted.</summary>
public sealed class KeyLimitsOptions
{
    public const string SectionName = "Auth:Limits";

    /// <summary>
    /// The sliding window <c>requests_per_minute</c> and <c>tokens_per_minute</c> count over: at no instant
    /// have more than the limit been admitted within the last <see cref="Window"/>. A minute in production;
    /// tests shorten it.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many keys the per-instance limiter that stands in while Redis is unreachable tracks at most.</summary>
    public int LocalMaxKeys { get; set; } = 10_000;

    /// <summary>How long the prices that budgets are charged at are used before PostgreSQL is read again.</summary>
    public TimeSpan PriceRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Prefix of the Redis keys holding the windows and the spend.</summary>
    public string RedisKeyPrefix { get; set; } = "platform:keylimits:";
}
