namespace Platform.Api.Providers;

/// <summary>
/// How a provider's calls are retried and bounded (<c>Providers:&lt;name&gt;:Resilience</c>). A completion is a
/// long, paid, non-idempotent POST: it is sent again only when it never reached the provider or the
/// provider refused it outright (429, 503), never after it may have been worked on.
/// </summary>
public sealed class ProviderResilienceOptions
{
    /// <summary>Further attempts after a connect failure, 429 or 503; 0 sends every call once.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>First back-off (exponential, jittered) when the provider sent no Retry-After.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A 429/503 asking to wait longer than this goes back to the caller instead of holding the request.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Added to the provider's <see cref="ProviderOptions.Timeout"/> to give the attempt timeout, so the
    /// provider timeout (a 504 naming the provider) always fires first and a slow answer is never cut and resent.
    /// </summary>
    public TimeSpan AttemptTimeoutMargin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Added to the attempt timeout to bound all attempts of one call together, back-offs included.</summary>
    public TimeSpan RetryAllowance { get; set; } = TimeSpan.FromSeconds(30);
}
