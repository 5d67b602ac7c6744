namespace Platform.Api.Routing;

/// <summary>
/// The <c>Routing</c> section: how a model's deployments are chosen and when a failing one cools down.
/// A model needs no entry here: every model a provider lists under <c>Providers:&lt;name&gt;:Models</c> is a
/// deployment of that model (weight 1, priority 0), so a model two providers list has two deployments.
/// An entry adds aliases and cross-model fallbacks, and, with <see cref="ModelRoutingOptions.Deployments"/>,
/// replaces the listed deployments by its own (weights, priorities, upstream names, limits).
/// </summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>Failures in a row (connect failure, 429, 5xx, timeout) after which a deployment cools down.</summary>
    public int FailuresBeforeCoolDown { get; set; } = 3;

    /// <summary>How long a failing deployment is left out before one request probes it again.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest cool-down a provider's <c>Retry-After</c> can ask for; a longer one is cut to this.</summary>
    public TimeSpan MaxCoolDown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Model name → its routing.</summary>
    public Dictionary<string, ModelRoutingOptions> Models { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One entry of <c>Routing:Models:&lt;model&gt;</c>.</summary>
public sealed class ModelRoutingOptions
{
    /// <summary>The model's deployments; empty keeps those the providers list.</summary>
    public List<DeploymentOptions> Deployments { get; set; } = [];

    /// <summary>Other names clients may use for the model.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>
    /// Models whose deployments are tried, in this order, when every deployment of this model failed before
    /// its first token. Opt-in: another model may answer differently, so nothing falls back across models unless asked.
    /// </summary>
    public List<string> Fallbacks { get; set; } = [];
}

/// <summary>One deployment: a provider (its endpoint, key, type and timeout) serving the model under an upstream name.</summary>
public sealed class DeploymentOptions
{
    /// <summary>Names the deployment in the <c>x-platform-deployment</c> header, usage records and metrics; the provider's name when empty.</summary>
    public string? Name { get; set; }

    /// <summary>A provider under <c>Providers</c>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The model id the provider expects (an Azure OpenAI deployment name, an Ollama tag); the model's own name when empty.</summary>
    public string? Model { get; set; }

    /// <summary>Share of the traffic among deployments of the same priority.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Lower is preferred: a priority is used only while no deployment of a lower one can serve.</summary>
    public int Priority { get; set; }

    /// <summary>Calls in flight at once; a deployment at its limit is passed over. 0: no limit.</summary>
    public int MaxConcurrentRequests { get; set; }
}
