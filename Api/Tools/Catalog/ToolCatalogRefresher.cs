using Microsoft.Extensions.Options;

namespace Platform.Api.Tools.Catalog;

/// <summary>
/// Starts the catalog warm from the database, lists every server, then keeps it current: at once for
/// a server that sent list_changed (changes arriving together are handled in one pass), and every
/// <see cref="McpOptions.RefreshInterval"/> for all of them.
/// </summary>
public sealed class ToolCatalogRefresher(ToolCatalog catalog, IOptions<McpOptions> options, TimeProvider time, ILogger<ToolCatalogRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await catalog.LoadPersistedAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The persisted tool catalog could not be loaded; starting empty.");
        }

        var nextFullRefresh = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextFullRefresh)
                {
                    nextFullRefresh = time.GetUtcNow() + options.Value.RefreshInterval;
                    await catalog.RefreshAsync(stoppingToken);
                    continue;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(nextFullRefresh - time.GetUtcNow());
                if (!await WaitForChangeAsync(wait.Token))
                {
                    continue;
                }
                await Task.Delay(Coalesce, time, stoppingToken);
                var changed = new HashSet<string>(StringComparer.Ordinal);
                while (catalog.ChangedServers.TryRead(out var label))
                {
                    changed.Add(label);
                }
                logger.LogInformation("Tools changed on {Servers}; listing again.", string.Join(", ", changed));
                await catalog.RefreshAsync(changed, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Tool catalog refresh failed.");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<bool> WaitForChangeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.ChangedServers.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
