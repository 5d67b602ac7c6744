using Platform.Usage.Tests.Infrastructure;
using Platform.Worker.Usage;

namespace Platform.Usage.Tests;

public sealed class CostCalculationTests
{
    private static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly PriceTable Prices = new([
        new ModelPrice("openai", "gpt-4o-mini", 0.15m, 0.60m, 0.075m, January),
        new ModelPrice("openai", "gpt-4o-mini", 0.30m, 1.20m, null, March),
        new ModelPrice("openai", "gpt-4o", 2.50m, 10.00m, null, January),
    ]);

    [Fact]
    public void CostUsesThePriceInEffectAtTheRecordTime()
    {
        var february = SampleRecords.Create("gpt-4o-mini", "openai", at: March.AddDays(-1), input: 1_000_000, output: 1_000_000);
        var april = february with { CreatedAt = March.AddMonths(1) };

        Assert.Equal(0.75m, Prices.CostOf(february));
        Assert.Equal(1.50m, Prices.CostOf(april));
    }

    [Fact]
    public void PriceTakesEffectExactlyAtItsEffectiveFrom()
    {
        var record = SampleRecords.Create("gpt-4o-mini", "openai", at: March, input: 1_000_000, output: 0);

        Assert.Equal(0.30m, Prices.CostOf(record));
    }

    [Fact]
    public void CachedInputTokensCostTheCachedPriceWhenOneIsSet()
    {
        var record = SampleRecords.Create("gpt-4o-mini", "openai", at: January.AddDays(1), input: 1_000_000, output: 0, cached: 400_000);

        Assert.Equal(600_000 * 0.15m / 1_000_000 + 400_000 * 0.075m / 1_000_000, Prices.CostOf(record));
    }

    [Fact]
    public void CachedInputTokensCostTheInputPriceWhenNoCachedPriceIsSet()
    {
        var record = SampleRecords.Create("gpt-4o", "openai", at: January.AddDays(1), input: 1_000_000, output: 0, cached: 400_000);

        Assert.Equal(2.50m, Prices.CostOf(record));
    }

    [Fact]
    public void UnknownModelHasNoCost()
    {
        var record = SampleRecords.Create("mystery", "openai", at: March);

        Assert.Null(Prices.CostOf(record));
    }

    [Fact]
    public void RecordOlderThanEveryPriceHasNoCost()
    {
        var record = SampleRecords.Create("gpt-4o", "openai", at: January.AddDays(-1));

        Assert.Null(Prices.CostOf(record));
    }

    [Fact]
    public void CacheHitCostsNothingEvenForAnUnknownModel()
    {
        var record = SampleRecords.Create("mystery", "openai", at: March, cacheHit: true);

        Assert.Equal(0m, Prices.CostOf(record));
    }

    [Fact]
    public void ModelAndProviderMatchIgnoringCase()
    {
        var record = SampleRecords.Create("GPT-4o", "OpenAI", at: March, input: 1_000_000, output: 0);

        Assert.Equal(2.50m, Prices.CostOf(record));
    }
}
