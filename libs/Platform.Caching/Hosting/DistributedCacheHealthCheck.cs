using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Platform.Caching.Hosting;

/// <summary>
/// "cache-l2": Degraded, never Unhealthy, while Redis is unreachable, because requests still succeed
/// from the in-memory level (and, in the Api, usage records go to the journal).
/// </summary>
internal sealed class DistributedCacheHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "cache-l2";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis (L2) unreachable: serving from the in-memory cache only.");
        }
        try
        {
            var roundTrip = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis (L2) answered PING in {roundTrip.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis (L2) did not answer PING.", ex);
        }
    }
}
