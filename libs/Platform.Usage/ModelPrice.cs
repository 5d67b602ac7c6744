namespace Platform.Usage;

/// <summary>A price row as the cost calculation uses it.</summary>
public sealed record ModelPrice(
    string Provider,
    string Model,
    decimal InputPerMillion,
    decimal OutputPerMillion,
    decimal? CachedInputPerMillion,
    DateTimeOffset EffectiveFrom);
