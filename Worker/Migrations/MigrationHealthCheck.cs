using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Worker.Migrations;

/// <summary>The Worker is not ready until the schema is applied.</summary>
public sealed class MigrationHealthCheck(DatabaseMigrator migrator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(migrator.Completion.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy("Schema applied.")
            : HealthCheckResult.Unhealthy("Migrations have not been applied yet."));
}
