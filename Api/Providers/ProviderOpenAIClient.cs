using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace Platform.Api.Providers;

/// <summary>The official SDK's client for an OpenAI-compatible provider, over the provider's own HttpClient.</summary>
public static class ProviderOpenAIClient
{
    /// <summary>
    /// The SDK does not retry and enforces <see cref="ProviderOptions.Timeout"/> itself: retries belong to
    /// the provider's HttpClient (<see cref="ProviderHttpClients"/>), which resends only calls that were
    /// never worked on, and its own timeout must not cut a long answer short.
    /// </summary>
    public static OpenAIClient Create(ProviderOptions provider, HttpClient httpClient)
    {
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(httpClient),
            NetworkTimeout = provider.Timeout,
        };
        if (provider.Endpoint is not null)
        {
            options.Endpoint = provider.Endpoint;
        }
        // Local servers (Ollama, vLLM, LM Studio) accept any key, but the SDK insists on one.
        var key = string.IsNullOrWhiteSpace(provider.ApiKey) ? "no-key" : provider.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), options);
    }
}
