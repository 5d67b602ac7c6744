using Microsoft.Extensions.AI;

namespace Platform.Api.Providers;

/// <summary>Where a model name leads: the provider, the model id it expects, and its built pipeline.</summary>
public sealed class ModelRoute(string providerName, string providerType, string modelId, IChatClient pipeline)
{
    public string ProviderName { get; } = providerName;
    public string ProviderType { get; } = providerType;
    public string ModelId { get; } = modelId;

    /// <summary>The provider wrapped in every registered middleware; shared by all requests.</summary>
    public IChatClient Pipeline { get; } = pipeline;
}
