using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Usage;

namespace Platform.Api.Auth;

/// <summary>
/// The model_prices table as budgets charge it: the same <see cref="PriceTable"/> (and so the same cost)
/// the Worker writes into usage records. Read from PostgreSQL at most once per
/// <see cref="KeyLimitsOptions.PriceRefreshInterval"/>, and only when a key with a budget calls; while
/// PostgreSQL cannot be read the last table stays in use. A model without a price costs nothing.
/// </summary>
public sealed class SpendPrices(IServiceScopeFactory scopeFactory, IOptionsMonitor<KeyLimitsOptions> options, TimeProvider time, ILogger<SpendPrices> logger)
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile PriceTable _table = PriceTable.Empty;
    private long _loadedAt;
    private bool _loaded;

    public decimal CostOf(UsageRecord record) => _table.CostOf(record) ?? 0m;

    public async ValueTask EnsureFreshAsync(CancellationToken cancellationToken)
    {
        if (IsFresh())
        {
            return;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh())
            {
                return;
            }
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var rows = await db.ModelPrices.AsNoTracking().ToListAsync(cancellationToken);
            _table = new PriceTable(rows.Select(p => new ModelPrice(p.Provider, p.Model, p.InputPerMillion, p.OutputPerMillion, p.CachedInputPerMillion, p.EffectiveFrom)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Prices for budgets could not be read; the previous prices stay in use.");
        }
        finally
        {
            // Also after a failure: a database outage must not cost every budgeted request a query.
            _loadedAt = time.GetTimestamp();
            _loaded = true;
            _loading.Release();
        }
    }

    private bool IsFresh() => _loaded && time.GetElapsedTime(_loadedAt) < options.CurrentValue.PriceRefreshInterval;
}
