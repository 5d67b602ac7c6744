namespace Platform.Api.Auth;

/// <summary>Which limit refused a request.</summary>
public enum KeyLimitRefusal
{
    None,
    Requests,
    Tokens,
    Budget,
}

/// <summary>
/// What the limiter decided for one request and what the x-ratelimit-* headers report: requests and
/// tokens used in the current window (tokens before this request), when the window frees room, and
/// the spend in the budget's current period.
/// </summary>
public readonly record struct KeyLimitDecision(
    KeyLimitRefusal Refusal,
    long Requests,
    TimeSpan RequestsReset,
    long Tokens,
    TimeSpan TokensReset,
    decimal Spent)
{
    public bool Admitted => Refusal == KeyLimitRefusal.None;
}
