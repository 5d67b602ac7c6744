using Microsoft.Extensions.Options;

namespace Platform.McpHost.Transport;

/// <summary>Closes idle sessions on a timer.</summary>
internal sealed class SessionCleanupService(
    McpSessionStore store,
    IOptionsMonitor<McpHostOptions> options,
    TimeProvider time,
    ILogger<SessionCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.SessionCleanupInterval, time, stoppingToken);
                await store.PruneIdleSessionsAsync(time.GetUtcNow());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Idle session cleanup failed");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await store.DisposeAsync();
    }
}
