using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace Platform.Api.Providers;

/// <summary>
/// The official SDK's client for an OpenAI-compatible or Azure OpenAI provider, over the provider's own
/// HttpClient: the one place chat and embeddings get it from.
/// </summary>
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
        if (IsAzure(provider))
        {
            // Azure OpenAI's v1 API takes the key as a bearer token too; older front doors only read api-key.
            options.AddPolicy(ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(key), "api-key"), PipelinePosition.PerCall);
        }
        return new OpenAIClient(new ApiKeyCredential(key), options);
    }

    public static bool IsAzure(ProviderOptions provider) =>
        string.Equals(provider.Type, ProviderTypes.AzureOpenAI, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the client sends requests: the configured endpoint, or OpenAI's.</summary>
    public static Uri EndpointOf(ProviderOptions provider) => provider.Endpoint ?? new Uri("https://api.openai.com/v1");
}
