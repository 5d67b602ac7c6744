using Platform.Data;

namespace Platform.Worker.Migrations;

/// <summary>
/// Applies the schema at start-up, retrying while PostgreSQL is not reachable yet (under Aspire the
/// Worker may start before the database accepts connections). Consumers await <see cref="Completion"/>.
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopeFactory, ILogger<DatabaseMigrator> logger) : BackgroundService
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _completion.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
                await PlatformDatabase.MigrateAsync(db, stoppingToken);
                logger.LogInformation("Database schema is up to date.");
                _completion.TrySetResult();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Applying migrations failed; retrying in {Delay}.", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        _completion.TrySetCanceled(stoppingToken);
    }
}
