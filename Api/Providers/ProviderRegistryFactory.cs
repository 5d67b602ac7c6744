using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Api.Providers;

/// <summary>
/// Reads <c>Providers:*</c> and registers the names of each provider that can serve, leading to its
/// chat pipeline (the <see cref="IChatClient"/> keyed by the provider's name). Model ids are registered before aliases, so an alias never hides a real model; when two
/// providers serve the same id, the first (in configuration order) keeps the bare name and the
/// other stays reachable as <c>provider/model</c>.
/// </summary>
public sealed class ProviderRegistryFactory(
    IOptions<ProvidersOptions> options,
    IServiceProvider services,
    ILogger<ProviderRegistryFactory> logger)
{
    public ProviderRegistry Create()
    {
        var routes = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        var published = new List<PublishedModel>();
        var aliases = new List<(string Alias, string Provider, ModelRoute Route)>();

        foreach (var (name, provider) in options.Value)
        {
            if (!ChatProviderFactory.IsServable(name, provider))
            {
                logger.LogInformation("Provider {Provider} has nowhere to send requests (no endpoint, and for OpenAI no API key either); it is not registered.", name);
                continue;
            }
            var pipeline = services.GetRequiredKeyedService<IChatClient>(name);
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
}
