namespace Platform.Worker.Usage;

/// <summary>One entry of <c>Usage:Prices</c>: a model's price per million tokens from a point in time.</summary>
public sealed class ModelPriceOptions
{
    public string Provider { get; set; } = "";
    public string Model { get; set; } = "";
    public decimal InputPerMillion { get; set; }
    public decimal OutputPerMillion { get; set; }
    public decimal? CachedInputPerMillion { get; set; }
    public DateTimeOffset EffectiveFrom { get; set; } = DateTimeOffset.UnixEpoch;
}
