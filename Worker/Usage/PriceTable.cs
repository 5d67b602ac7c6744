using System.Collections.Frozen;
using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>
/// Immutable view of the price table: per provider and model (case-insensitive), prices ordered by
/// <see cref="ModelPrice.EffectiveFrom"/>. The price of a record is the one with the latest
/// EffectiveFrom at or before the record's time.
/// </summary>
public sealed class PriceTable
{
    private const decimal TokensPerMillion = 1_000_000m;
    private readonly FrozenDictionary<string, ModelPrice[]> _prices;

    public PriceTable(IEnumerable<ModelPrice> prices)
    {
        _prices = prices
            .GroupBy(p => Key(p.Provider, p.Model), StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(p => p.EffectiveFrom).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    public static PriceTable Empty { get; } = new([]);

    public int Count => _prices.Count;

    public ModelPrice? Find(string provider, string model, DateTimeOffset at)
    {
        if (!_prices.TryGetValue(Key(provider, model), out var history))
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

    private static string Key(string provider, string model) => string.Concat(provider, "\n", model);
}
