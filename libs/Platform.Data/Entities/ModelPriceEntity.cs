namespace Platform.Data.Entities;

/// <summary>Price of a model in a currency unit per million tokens, valid from a point in time.</summary>
public sealed class ModelPriceEntity
{
    public long Id { get; set; }
    public required string Provider { get; set; }
    public required string Model { get; set; }
    public decimal InputPerMillion { get; set; }
    public decimal OutputPerMillion { get; set; }
    /// <summary>Price of cached input tokens; null means they cost the same as other input tokens.</summary>
    public decimal? CachedInputPerMillion { get; set; }
    public DateTimeOffset EffectiveFrom { get; set; }
}
