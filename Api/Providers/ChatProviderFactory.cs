using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Platform.Api.Providers.Offline;
using Platform.Api.Providers.OpenAICompatible;

namespace Platform.Api.Providers;

/// <summary>The provider client of each <c>Providers:&lt;name&gt;:Type</c>.</summary>
public sealed class ChatProviderFactory(IOptions<ProvidersOptions> options, IHttpClientFactory httpClientFactory) : IChatProviderFactory
{
    public const string HttpClientNamePrefix = "Platform.Providers.";

    public IChatClient Create(string providerName)
    {
        if (!options.Value.TryGetValue(providerName, out var provider))
        {
            throw new InvalidOperationException($"No provider '{providerName}' is configured under {ProvidersOptions.SectionName}.");
        }
        return provider.Type.ToLowerInvariant() switch
        {
            ProviderTypes.Offline => new OfflineChatClient(providerName),
            ProviderTypes.OpenAI or ProviderTypes.AzureOpenAI => OpenAIProviderChatClient.Create(providerName, provider, CreateHttpClient(providerName)),
            _ => throw UnknownType(providerName, provider),
        };
    }

    /// <summary>
    /// Whether a configured provider can serve requests: an OpenAI-compatible provider with neither an
    /// endpoint nor a key has nowhere to go. An unknown type fails start-up.
    /// </summary>
    public static bool IsServable(string providerName, ProviderOptions provider) => provider.Type.ToLowerInvariant() switch
    {
        ProviderTypes.Offline => true,
        ProviderTypes.OpenAI => provider.Endpoint is not null || !string.IsNullOrWhiteSpace(provider.ApiKey),
        // Azure OpenAI has no default endpoint.
        ProviderTypes.AzureOpenAI => provider.Endpoint is not null,
        _ => throw UnknownType(providerName, provider),
    };

    private HttpClient CreateHttpClient(string providerName) => httpClientFactory.CreateClient(HttpClientNamePrefix + providerName);

    private static InvalidOperationException UnknownType(string name, ProviderOptions provider) => new(
        $"Providers:{name}:Type is '{provider.Type}'; expected '{ProviderTypes.OpenAI}', '{ProviderTypes.AzureOpenAI}' or '{ProviderTypes.Offline}'.");
}
