namespace Platform.Api.Routing;

/// <summary>
/// What a route may call, in order of preference: the model's deployments grouped by priority (lowest
/// first), then those of its fallback models, each model's own tiers in turn.
/// </summary>
public sealed class RoutedModel
{
    /// <summary>A bit per candidate keeps a request's tried set in one register.</summary>
    public const int MaxCandidates = 64;

    public RoutedModel(string name, IReadOnlyList<Deployment[]> tiers)
    {
        if (tiers.Sum(t => t.Length) is > MaxCandidates or 0)
        {
            throw new InvalidOperationException($"Model '{name}' has {tiers.Sum(t => t.Length)} deployments with its fallbacks; between 1 and {MaxCandidates} are allowed.");
        }
        Name = name;
        Tiers = tiers.Select(t => t.ToArray()).ToArray();
        Candidates = Tiers.SelectMany(t => t).ToArray();
        Primary = Candidates[0];
    }

    public string Name { get; }

    /// <summary>Candidates grouped by preference; within a tier chosen by weight.</summary>
    public Deployment[][] Tiers { get; }

    /// <summary>Every candidate, tier by tier (a request's tried set indexes this).</summary>
    public Deployment[] Candidates { get; }

    /// <summary>The first deployment of the preferred tier: names the route's provider in the cache key and its telemetry.</summary>
    public Deployment Primary { get; }

    /// <summary>One deployment and nothing to fall back to: the call goes straight to it.</summary>
    public bool IsSingle => Candidates.Length == 1;
}
