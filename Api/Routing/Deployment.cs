using Microsoft.Extensions.AI;

namespace Platform.Api.Routing;

/// <summary>
/// One deployment of a model: a provider's client, the model id it expects, its share of the traffic, its
/// limits and its health. Shared by every route that reaches it (the model, its aliases, <c>provider/model</c>,
/// models that fall back to it), so its health and in-flight count are one.
/// </summary>
public sealed class Deployment(
    string name, string modelName, string providerName, string providerType, string upstreamModel,
    int weight, int priority, int maxConcurrentRequests, IChatClient client, DeploymentHealth health)
{
    private int _inFlight;

    /// <summary>Unique among the model's deployments; the provider's name unless configured.</summary>
    public string Name { get; } = name;

    /// <summary>The model (as the gateway names it) this deployment serves.</summary>
    public string ModelName { get; } = modelName;

    public string ProviderName { get; } = providerName;
    public string ProviderType { get; } = providerType;

    /// <summary>The model id sent to the provider.</summary>
    public string UpstreamModel { get; } = upstreamModel;

    public int Weight { get; } = weight;
    public int Priority { get; } = priority;
    public int MaxConcurrentRequests { get; } = maxConcurrentRequests;

    /// <summary>The provider stage: the provider's client (the same for all its deployments).</summary>
    public IChatClient Client { get; } = client;

    public DeploymentHealth Health { get; } = health;

    /// <summary>Calls in flight, counted only when there is a limit to keep.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public bool HasCapacity => MaxConcurrentRequests <= 0 || InFlight < MaxConcurrentRequests;

    /// <summary>Counts a call in flight; false (and nothing counted) when the deployment is at its limit.</summary>
    public bool TryEnter()
    {
        if (MaxConcurrentRequests <= 0)
        {
            return true;
        }
        var count = Interlocked.Increment(ref _inFlight);
        if (MaxConcurrentRequests > 0 && count > MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }
        return true;
    }

    public void Exit()
    {
        if (MaxConcurrentRequests > 0)
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The caller's options as this deployment needs them: the upstream model id, copied only when it differs.</summary>
    public ChatOptions? OptionsFor(ChatOptions? options)
    {
        if (options is null)
        {
            return new ChatOptions { ModelId = UpstreamModel };
        }
        if (string.Equals(options.ModelId, UpstreamModel, StringComparison.Ordinal))
        {
            return options;
        }
        var copy = options.Clone();
        copy.ModelId = UpstreamModel;
        return copy;
    }

    public override string ToString() => $"{ModelName}/{Name}";
}
