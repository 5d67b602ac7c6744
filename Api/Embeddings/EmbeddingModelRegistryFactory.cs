using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Platform.Api.Providers;
using Platform.Api.Tools.Search;

namespace Platform.Api.Embeddings;

/// <summary>
/// Reads <c>Providers:*:EmbeddingModels</c> and <c>EmbeddingAliases</c> and creates one generator per
/// model: the deterministic local embedding for the offline provider, Microsoft.Extensions.AI.OpenAI's
/// generator for an OpenAI-compatible one, over the provider's own HttpClient (its retry policy and
/// timeout) with the SDK's retries off. Every generator reports GenAI telemetry. As for chat models,
/// ids are registered before aliases and the first provider keeps a bare name that two serve.
/// </summary>
public sealed class EmbeddingModelRegistryFactory(
    IOptions<ProvidersOptions> options,
    IHttpClientFactory httpClientFactory,
    IServiceProvider services,
    ILogger<EmbeddingModelRegistryFactory> logger)
{
    public EmbeddingModelRegistry Create()
    {
        var routes = new Dictionary<string, EmbeddingRoute>(StringComparer.Ordinal);
        var published = new List<PublishedModel>();
        var aliases = new List<(string Alias, string Provider, EmbeddingRoute Route)>();

        foreach (var (name, provider) in options.Value)
        {
            if (provider.EmbeddingModels.Count == 0 || CreateFactory(name, provider) is not { } create)
            {
                continue;
            }
            var byModel = provider.EmbeddingModels.Distinct(StringComparer.Ordinal).ToDictionary(
                m => m, m => new EmbeddingRoute(name, provider.Type.ToLowerInvariant(), m, Instrument(create(m))), StringComparer.Ordinal);
            foreach (var (model, route) in byModel)
            {
                routes[$"{name}/{model}"] = route;
                if (routes.TryAdd(model, route))
                {
                    published.Add(new PublishedModel(model, name));
                }
                else
                {
                    logger.LogWarning("Embedding model {Model} of provider {Provider} is served by another provider; use {Qualified}.", model, name, $"{name}/{model}");
                }
            }
            foreach (var (alias, target) in provider.EmbeddingAliases)
            {
                if (!byModel.TryGetValue(target, out var route))
                {
                    throw new InvalidOperationException(
                        $"Providers:{name}:EmbeddingAliases:{alias} names '{target}', which is not in Providers:{name}:EmbeddingModels.");
                }
                routes.TryAdd($"{name}/{alias}", route);
                aliases.Add((alias, name, route));
            }
        }

        foreach (var (alias, provider, route) in aliases)
        {
            if (routes.TryAdd(alias, route))
            {
                published.Add(new PublishedModel(alias, provider));
            }
        }
        return new EmbeddingModelRegistry(routes, published);
    }

    /// <summary>Model id → generator for one provider; null when the provider is not usable.</summary>
    private Func<string, IEmbeddingGenerator<string, Embedding<float>>>? CreateFactory(string name, ProviderOptions provider)
    {
        switch (provider.Type.ToLowerInvariant())
        {
            case ProviderTypes.Offline:
                return _ => new LocalHashingEmbeddingGenerator();
            case ProviderTypes.OpenAI when provider.Endpoint is null && string.IsNullOrWhiteSpace(provider.ApiKey):
                logger.LogInformation("Provider {Provider} has neither an endpoint nor an API key; its embedding models are not registered.", name);
                return null;
            case ProviderTypes.AzureOpenAI when provider.Endpoint is null:
                logger.LogInformation("Provider {Provider} is Azure OpenAI without an endpoint; its embedding models are not registered.", name);
                return null;
            case ProviderTypes.OpenAI or ProviderTypes.AzureOpenAI:
                var client = ProviderOpenAIClient.Create(provider, httpClientFactory.CreateClient(ChatProviderFactory.HttpClientNamePrefix + name));
                return model => client.GetEmbeddingClient(model).AsIEmbeddingGenerator();
            default:
                throw new InvalidOperationException(
                    $"Providers:{name}:Type is '{provider.Type}'; expected '{ProviderTypes.OpenAI}', '{ProviderTypes.AzureOpenAI}' or '{ProviderTypes.Offline}'.");
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> Instrument(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        generator.AsBuilder().UseOpenTelemetry().Build(services);
}
