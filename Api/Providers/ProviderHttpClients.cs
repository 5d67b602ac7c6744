using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Platform.Api.Providers;

/// <summary>
/// One named HttpClient per configured provider, without the standard resilience handler every other
/// client gets: that handler cuts an attempt at 10 s and retries any 5xx or timeout, so a long completion
/// would be sent (and paid for) again. A provider's client retries only what cannot have been worked on.
/// </summary>
internal static class ProviderHttpClients
{
    public const string PipelineName = "provider";

    /// <summary>Registers the client of every provider named under <c>Providers</c>.</summary>
    public static IServiceCollection AddProviderHttpClients(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var provider in configuration.GetSection(ProvidersOptions.SectionName).GetChildren())
        {
            var name = provider.Key;
            // The package's way to take a client out of the defaults; marked experimental only because its shape may change.
#pragma warning disable EXTEXP0001
            var client = services.AddHttpClient(ChatProviderFactory.HttpClientNamePrefix + name).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            client.AddResilienceHandler(PipelineName, (pipeline, context) =>
            {
                var providers = context.ServiceProvider.GetRequiredService<IOptions<ProvidersOptions>>().Value;
                Configure(pipeline, providers.TryGetValue(name, out var options) ? options : new ProviderOptions());
            });
        }
        return services;
    }

    /// <summary>Total timeout, retry of calls that were never worked on, then the per-attempt timeout.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ProviderOptions provider)
    {
        var resilience = provider.Resilience;
        var attemptTimeout = provider.Timeout + resilience.AttemptTimeoutMargin;
        pipeline.AddTimeout(attemptTimeout + resilience.RetryAllowance);
        if (resilience.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = resilience.MaxRetryAttempts,
                Delay = resilience.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                // While another deployment can take the call, a refusal goes back to the router at once instead of waiting here.
                ShouldHandle = args => ValueTask.FromResult(!Routing.ProviderRetryScope.FallbackAvailable && IsSafeToRetry(args.Outcome, resilience.MaxRetryAfter)),
            });
        }
        pipeline.AddTimeout(attemptTimeout);
    }

    /// <summary>
    /// True when the request never reached the provider (no connection could be made) or the provider
    /// refused it before doing any work (429, 503 as the response status, within the longest wait allowed).
    /// Anything else — a timeout after sending, a 500, a connection lost mid-answer — may have been worked
    /// on and billed, and goes back to the caller.
    /// </summary>
    public static bool IsSafeToRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } => RetryAfter(outcome.Result) <= maxRetryAfter,
        _ => false,
    };

    private static TimeSpan RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => TimeSpan.Zero,
    };
}
