using Microsoft.Extensions.Options;

namespace Platform.Api.Tools.Sessions;

/// <summary>Closes idle and dead pooled sessions in the background.</summary>
public sealed class McpSessionSweeper(McpSessionPools pools, IOptions<McpOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(options.Value.Pool.IdleTimeout.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                pools.CloseIdleSessions();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
