using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.McpHost.Sessions;

/// <summary>Degraded when the session limit is nearly reached: new clients may soon get 503.</summary>
internal sealed class SessionCapacityHealthCheck(McpSessionTracker sessions, IOptionsMonitor<McpHostOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var max = options.CurrentValue.MaxSessions;
        var count = sessions.Count;
        var data = new Dictionary<string, object> { ["sessions"] = count, ["maxSessions"] = max };
        return Task.FromResult(count >= max * 0.9
            ? HealthCheckResult.Degraded($"{count} of {max} MCP sessions in use.", data: data)
            : HealthCheckResult.Healthy($"{count} of {max} MCP sessions in use.", data));
    }
}
