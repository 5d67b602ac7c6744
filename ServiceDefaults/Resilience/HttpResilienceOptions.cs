namespace Platform.ServiceDefaults.Resilience;

/// <summary>The standard resilience pipeline's settings; bound from <c>HttpClientDefaults:Resilience</c>.</summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "HttpClientDefaults:Resilience";

    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(120);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
