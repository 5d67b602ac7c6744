namespace Platform.Api.Providers;

/// <summary>
/// A provider call failed. <see cref="UpstreamStatus"/> is the provider's HTTP status (null when no
/// response came back); <see cref="IsTimeout"/> when the provider did not answer in time.
/// </summary>
public sealed class UpstreamProviderException(
    string providerName, int? upstreamStatus, bool isTimeout, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ProviderName { get; } = providerName;
    public int? UpstreamStatus { get; } = upstreamStatus;
    public bool IsTimeout { get; } = isTimeout;

    /// <summary>How long the provider asked to be left alone (its <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The answer had started streaming when this failed, so the call was not retried anywhere.</summary>
    public bool BrokeOffMidAnswer { get; init; }
}
