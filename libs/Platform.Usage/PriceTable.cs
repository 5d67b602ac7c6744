using System.Collections.Frozen;

namespace Platform.Usage;

/// <summary>
/// Immutable view of the price table: per provider and model (case-insensitive), prices ordered by
/// <see cref="ModelPrice.EffectiveFrom"/>. The price of a record is the one with the latest
/// EffectiveFrom at or before the record's time.
/// </summary>
public sealed class PriceTable
{
    private const decimal TokensPerMillion = 1_000_000m;
    private readonly FrozenDictionary<ModelKey, ModelPrice[]> _prices;

    public PriceTable(IEnumerable<ModelPrice> prices)
    {
        _prices = prices
            .GroupBy(p => new ModelKey(p.Provider, p.Model), ModelKeyComparer.Instance)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(p => p.EffectiveFrom).ToArray(), ModelKeyComparer.Instance);
    }

    public static PriceTable Empty { get; } = new([]);

    public int Count => _prices.Count;

    public ModelPrice? Find(string provider, string model, DateTimeOffset at)
    {
        if (!_prices.TryGetValue(new ModelKey(provider, model), out var history))
        {
            return null;
        }
        for (var i = history.Length - 1; i >= 0; i--)
        {
            if (history[i].EffectiveFrom <= at)
            {
                return history[i];
            }
        }
        return null;
    }

    /// <summary>
    /// Cost of a record; zero for a response-cache hit (nothing was paid), null when the model has no
    /// price at the record's time. Cached input tokens are part of the input tokens and cost
    /// <see cref="ModelPrice.CachedInputPerMillion"/> when it is set.
    /// </summary>
    public decimal? CostOf(UsageRecord record)
    {
        if (record.CacheHit)
        {
            return 0m;
        }
        if (Find(record.Provider, record.Model, record.CreatedAt) is not { } price)
        {
            return null;
        }
        var cached = Math.Clamp(record.CachedTokens, 0, record.InputTokens);
        var uncached = record.InputTokens - cached;
        var total = uncached * price.InputPerMillion
            + cached * (price.CachedInputPerMillion ?? price.InputPerMillion)
            + record.OutputTokens * price.OutputPerMillion;
        return total / TokensPerMillion;
    }

    // A key of two strings rather than one concatenated: the lookup, done for every record, allocates nothing.
    private readonly record struct ModelKey(string Provider, string Model);

    private sealed class ModelKeyComparer : IEqualityComparer<ModelKey>
    {
        public static readonly ModelKeyComparer Instance = new();

        public bool Equals(ModelKey x, ModelKey y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Provider, y.Provider) && StringComparer.OrdinalIgnoreCase.Equals(x.Model, y.Model);

        public int GetHashCode(ModelKey key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.Provider), StringComparer.OrdinalIgnoreCase.GetHashCode(key.Model));
    }
}
