using Microsoft.Extensions.AI;
using Platform.Api.Routing;

namespace Platform.Api.Providers;

/// <summary>
/// Where a model name leads: the model, its deployments and its built pipeline. <see cref="ProviderName"/> is
/// the preferred deployment's provider: the cache key and cache tags name it, since any deployment of a
/// model gives an answer as good as another's.
/// </summary>
public sealed class ModelRoute(string providerName, string providerType, string modelId, IChatClient pipeline, RoutedModel deployments)
{
    public string ProviderName { get; } = providerName;
    public string ProviderType { get; } = providerType;

    /// <summary>The model as the gateway names it (aliases resolved); each deployment sends its own upstream name.</summary>
    public string ModelId { get; } = modelId;

    /// <summary>The routing client wrapped in every registered middleware; shared by all requests.</summary>
    public IChatClient Pipeline { get; } = pipeline;

    public RoutedModel Deployments { get; } = deployments;
}
