using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Caching.Hosting;

/// <summary>
/// "cache-l2": Degraded, never Unhealthy, while Redis is unreachable, because requests still succeed
/// from the in-memory level.
/// </summary>
internal sealed class DistributedCacheHealthCheck(PlatformHybridCache cache) : IHealthCheck
{
    public const string Name = "cache-l2";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cache.IsDistributedCacheAvailable
            ? HealthCheckResult.Healthy("Redis (L2) reachable.")
            : HealthCheckResult.Degraded("Redis (L2) unreachable: serving from the in-memory cache only."));
}
