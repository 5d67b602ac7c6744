using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Api.Pipeline;
using Platform.Api.Providers.Offline;
using Platform.Api.Providers.OpenAICompatible;

namespace Platform.Api.Providers;

/// <summary>
/// Reads <c>Providers:*</c>, creates each provider's client and pipeline once, and registers its
/// names. Model ids are registered before aliases, so an alias never hides a real model; when two
/// providers serve the same id, the first (in configuration order) keeps the bare name and the
/// other stays reachable as <c>provider/model</c>.
/// </summary>
public sealed class ProviderRegistryFactory(
    IOptions<ProvidersOptions> options,
    ChatPipelineBuilder pipelineBuilder,
    IHttpClientFactory httpClientFactory,
    ILogger<ProviderRegistryFactory> logger)
{
    public const string HttpClientNamePrefix = "Platform.Providers.";

    public ProviderRegistry Create()
    {
        var routes = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        var published = new List<PublishedModel>();
        var aliases = new List<(string Alias, string Provider, ModelRoute Route)>();

        foreach (var (name, provider) in options.Value)
        {
            if (CreateProvider(name, provider) is not { } client)
            {
                continue;
            }
            var pipeline = pipelineBuilder.Build(client);
            var type = provider.Type.ToLowerInvariant();
            var byModel = provider.Models.Distinct(StringComparer.Ordinal)
                .ToDictionary(m => m, m => new ModelRoute(name, type, m, pipeline), StringComparer.Ordinal);

            foreach (var (model, route) in byModel)
            {
                routes[$"{name}/{model}"] = route;
                if (routes.TryAdd(model, route))
                {
                    published.Add(new PublishedModel(model, name));
                }
                else
                {
                    logger.LogWarning("Model {Model} of provider {Provider} is served by another provider; use {Qualified}.", model, name, $"{name}/{model}");
                }
            }
            foreach (var (alias, target) in provider.Aliases)
            {
                if (!byModel.TryGetValue(target, out var route))
                {
                    throw new InvalidOperationException($"Providers:{name}:Aliases:{alias} names '{target}', which is not in Providers:{name}:Models.");
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
        return new ProviderRegistry(routes, published);
    }

    private IChatClient? CreateProvider(string name, ProviderOptions provider)
    {
        switch (provider.Type.ToLowerInvariant())
        {
            case ProviderTypes.Offline:
                return new OfflineChatClient(name);
            case ProviderTypes.OpenAI when provider.Endpoint is null && string.IsNullOrWhiteSpace(provider.ApiKey):
                logger.LogInformation("Provider {Provider} has neither an endpoint nor an API key; it is not registered.", name);
                return null;
            case ProviderTypes.OpenAI:
                return new OpenAICompatibleChatClient(name, provider, httpClientFactory.CreateClient(HttpClientNamePrefix + name));
            default:
                throw new InvalidOperationException(
                    $"Providers:{name}:Type is '{provider.Type}'; expected '{ProviderTypes.OpenAI}' or '{ProviderTypes.Offline}'.");
        }
    }
}
