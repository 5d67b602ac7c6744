using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Redis;

/// <summary>Healthy when a PING is answered; Unhealthy while Redis is unreachable.</summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Not connected to Redis.");
        }
        try
        {
            var roundTrip = await connection.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {roundTrip.TotalMilliseconds:0.0} ms.");
        }
        catch (RedisException error)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer PING.", error);
        }
    }
}
