using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Api.Pipeline;
using Platform.Api.Routing;

namespace Platform.Api.Providers;

/// <summary>
/// Builds the model registry once at start-up from <c>Providers:*</c> and <c>Routing</c>. Every model a
/// provider that can serve lists is a deployment of that model (so a model two providers list has two);
/// a <c>Routing:Models</c> entry may replace them with its own deployments and adds aliases and fallbacks.
/// Each model gets one pipeline around a <see cref="DeploymentRoutingChatClient"/>, shared by its aliases. Model
/// names are registered before aliases, so an alias never hides a real model. <c>provider/model</c> leads to
/// that provider's deployment of the model alone. The clients are the providers' (the <see cref="IChatClient"/>
/// keyed by provider name), so deployments of one provider share its client and HttpClient.
/// </summary>
public sealed class ProviderRegistryFactory(
    IOptions<ProvidersOptions> options,
    IServiceProvider services,
    ILogger<ProviderRegistryFactory> logger,
    IOptions<RoutingOptions>? routing = null,
    Func<IChatClient, IChatClient>? buildPipeline = null,
    RoutingMetrics? metrics = null,
    TimeProvider? time = null,
    IChatRequestContextAccessor? contexts = null)
{
    private readonly RoutingOptions _routing = routing?.Value ?? new RoutingOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Func<IChatClient, IChatClient> _buildPipeline = buildPipeline ?? (static routed => routed);

    public ProviderRegistry Create()
    {
        var specs = ReadDeployments(out var providerAliases);
        var deployments = new Dictionary<string, Deployment[]>(StringComparer.Ordinal);
        foreach (var (model, list) in specs)
        {
            deployments[model] = list.Select(spec => CreateDeployment(model, spec)).ToArray();
        }

        var routes = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        var published = new List<PublishedModel>();
        foreach (var (model, own) in deployments)
        {
            var fallbacks = _routing.Models.TryGetValue(model, out var configured) ? configured.Fallbacks : [];
            var tiers = Tiers(own).ToList();
            foreach (var fallback in fallbacks)
            {
                if (string.Equals(fallback, model, StringComparison.Ordinal) || !deployments.TryGetValue(fallback, out var other))
                {
                    throw new InvalidOperationException(
                        $"Routing:Models:{model}:Fallbacks names '{fallback}', which is {(fallback == model ? "the model itself" : "not a model any provider serves")}.");
                }
                tiers.AddRange(Tiers(other));
            }
            var route = CreateRoute(model, new RoutedModel(model, tiers));
            routes[model] = route;
            published.Add(new PublishedModel(model, route.ProviderName));

            foreach (var deployment in own)
            {
                var qualified = $"{deployment.ProviderName}/{model}";
                if (routes.ContainsKey(qualified))
                {
                    continue; // two deployments on one provider: the first keeps the qualified name
                }
                routes[qualified] = route.Deployments.IsSingle ? route : CreateRoute(model, new RoutedModel(model, [[deployment]]));
            }
        }

        // Aliases after every model, so none hides a real model; among aliases the first configured wins.
        foreach (var (alias, provider, target) in providerAliases)
        {
            if (routes.TryGetValue($"{provider}/{target}", out var pinned))
            {
                routes.TryAdd($"{provider}/{alias}", pinned);
            }
        }
        var aliases = providerAliases.Select(a => (a.Alias, a.Target))
            .Concat(_routing.Models.SelectMany(m => m.Value.Aliases.Select(alias => (Alias: alias, Target: m.Key))));
        foreach (var (alias, target) in aliases)
        {
            if (routes.TryGetValue(target, out var route) && routes.TryAdd(alias, route))
            {
                published.Add(new PublishedModel(alias, route.ProviderName));
            }
        }
        return new ProviderRegistry(routes, published);
    }

    /// <summary>
    /// Model → its deployments, in configuration order: first those the providers list, then the
    /// <c>Routing:Models</c> entries (which replace a model's listed deployments when they name their own).
    /// </summary>
    private Dictionary<string, List<DeploymentOptions>> ReadDeployments(out List<(string Alias, string Provider, string Target)> aliases)
    {
        var byModel = new Dictionary<string, List<DeploymentOptions>>(StringComparer.Ordinal);
        aliases = [];
        foreach (var (name, provider) in options.Value)
        {
            if (!ChatProviderFactory.IsServable(name, provider))
            {
                logger.LogInformation("Provider {Provider} has nowhere to send requests (no endpoint, and for OpenAI no API key either); it is not registered.", name);
                continue;
            }
            foreach (var model in provider.Models.Distinct(StringComparer.Ordinal))
            {
                if (!byModel.TryGetValue(model, out var list))
                {
                    byModel[model] = list = [];
                }
                list.Add(new DeploymentOptions { Name = name, Provider = name, Model = model });
            }
            foreach (var (alias, target) in provider.Aliases)
            {
                if (!provider.Models.Contains(target, StringComparer.Ordinal))
                {
                    throw new InvalidOperationException($"Providers:{name}:Aliases:{alias} names '{target}', which is not in Providers:{name}:Models.");
                }
                aliases.Add((alias, name, target));
            }
        }

        foreach (var (model, routing) in _routing.Models)
        {
            if (routing.Deployments.Count == 0)
            {
                if (!byModel.ContainsKey(model) && !routing.Fallbacks.Concat(routing.Aliases).Any())
                {
                    logger.LogInformation("Routing:Models:{Model} has no deployments and no provider lists it; it is not registered.", model);
                }
                continue;
            }
            var list = new List<DeploymentOptions>();
            for (var i = 0; i < routing.Deployments.Count; i++)
            {
                var deployment = routing.Deployments[i];
                var path = $"Routing:Models:{model}:Deployments:{i}";
                if (string.IsNullOrWhiteSpace(deployment.Provider) || !options.Value.TryGetValue(deployment.Provider, out var provider))
                {
                    throw new InvalidOperationException(
                        $"{path}:Provider is '{deployment.Provider}'; it must name a provider under Providers ({string.Join(", ", options.Value.Keys)}).");
                }
                if (deployment.Weight < 1)
                {
                    throw new InvalidOperationException($"{path}:Weight is {deployment.Weight}; it must be at least 1.");
                }
                if (deployment.MaxConcurrentRequests < 0)
                {
                    throw new InvalidOperationException($"{path}:MaxConcurrentRequests is {deployment.MaxConcurrentRequests}; it must be 0 (no limit) or more.");
                }
                var name = string.IsNullOrWhiteSpace(deployment.Name) ? deployment.Provider : deployment.Name;
                if (list.Any(d => d.Name == name))
                {
                    throw new InvalidOperationException($"{path} is a second deployment named '{name}' of model '{model}'; give each a distinct Name.");
                }
                if (!ChatProviderFactory.IsServable(deployment.Provider, provider))
                {
                    logger.LogInformation("Deployment {Deployment} of model {Model}: provider {Provider} has nowhere to send requests; the deployment is left out.", name, model, deployment.Provider);
                    continue;
                }
                list.Add(new DeploymentOptions
                {
                    Name = name,
                    Provider = deployment.Provider,
                    Model = string.IsNullOrWhiteSpace(deployment.Model) ? model : deployment.Model,
                    Weight = deployment.Weight,
                    Priority = deployment.Priority,
                    MaxConcurrentRequests = deployment.MaxConcurrentRequests,
                });
            }
            if (list.Count == 0)
            {
                logger.LogInformation("No deployment of model {Model} can serve; it is not registered.", model);
                byModel.Remove(model);
                continue;
            }
            byModel[model] = list;
        }
        return byModel;
    }

    private Deployment CreateDeployment(string model, DeploymentOptions spec)
    {
        var provider = options.Value[spec.Provider];
        var deployment = new Deployment(
            spec.Name!, model, spec.Provider, provider.Type.ToLowerInvariant(), spec.Model!, spec.Weight, spec.Priority, spec.MaxConcurrentRequests,
            services.GetRequiredKeyedService<IChatClient>(spec.Provider),
            new DeploymentHealth(_time, _routing.FailuresBeforeCoolDown, _routing.CoolDown, _routing.MaxCoolDown));
        metrics?.Track(deployment);
        return deployment;
    }

    private static IEnumerable<Deployment[]> Tiers(Deployment[] deployments) =>
        deployments.GroupBy(d => d.Priority).OrderBy(g => g.Key).Select(g => g.ToArray());

    private ModelRoute CreateRoute(string model, RoutedModel routed)
    {
        var routing = new DeploymentRoutingChatClient(routed, _time, metrics, contexts, logger);
        return new ModelRoute(routed.Primary.ProviderName, routed.Primary.ProviderType, model, _buildPipeline(routing), routed);
    }
}
