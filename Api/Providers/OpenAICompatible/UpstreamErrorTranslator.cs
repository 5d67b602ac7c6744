using System.ClientModel;
using System.Text.Json;
using Polly.Timeout;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>Turns what the SDK and the HTTP pipeline throw into <see cref="UpstreamProviderException"/>.</summary>
internal static class UpstreamErrorTranslator
{
    /// <summary>Null when the exception must propagate as is (the caller cancelled).</summary>
    public static UpstreamProviderException? Translate(string provider, Exception exception, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
        {
            return null;
        }
        return exception switch
        {
            UpstreamProviderException => null,
            ClientResultException { Status: > 0 } e => new UpstreamProviderException(
                provider, e.Status, false, $"Provider '{provider}' answered {e.Status}: {Describe(e)}", e) { RetryAfter = RetryAfter(e) },
            ClientResultException e => new UpstreamProviderException(
                provider, null, false, $"Provider '{provider}' could not be reached: {e.Message}", e),
            TimeoutRejectedException or OperationCanceledException or TimeoutException => new UpstreamProviderException(
                provider, null, true, $"Provider '{provider}' did not answer in time.", exception),
            HttpRequestException e => new UpstreamProviderException(
                provider, (int?)e.StatusCode, false, $"Provider '{provider}' could not be reached: {e.Message}", e),
            // A malformed answer: not JSON, or JSON the SDK cannot read as a chat completion.
            JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException or NullReferenceException => new UpstreamProviderException(
                provider, null, false, $"Provider '{provider}' answered with a body that is not an OpenAI chat completion: {exception.Message}", exception),
            IOException e => new UpstreamProviderException(
                provider, null, false, $"Provider '{provider}' broke off its answer: {e.Message}", e),
            _ => null,
        };
    }

    /// <summary>The response's Retry-After, in seconds or as a date; the routing cools the deployment down for that long.</summary>
    private static TimeSpan? RetryAfter(ClientResultException e)
    {
        if (e.GetRawResponse()?.Headers is not { } headers || !headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
        }
        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date)
            ? date - DateTimeOffset.UtcNow
            : null;
    }

    // The SDK's message carries the status line and the provider's error body; keep it short.
    private static string Describe(ClientResultException e)
    {
        var body = e.GetRawResponse()?.Content?.ToString();
        var text = string.IsNullOrWhiteSpace(body) ? e.Message : body;
        return text.Length <= 1000 ? text : text[..1000];
    }
}
