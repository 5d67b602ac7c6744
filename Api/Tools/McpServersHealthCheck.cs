using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Api.Tools.Catalog;

namespace Platform.Api.Tools;

/// <summary>Degraded (not unhealthy) while an MCP server does not answer: chat still works, its tools fail.</summary>
public sealed class McpServersHealthCheck(ToolCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = catalog.Current;
        var down = snapshot.Servers.Values.Where(s => !s.Available).ToList();
        var data = new Dictionary<string, object> { ["tools"] = snapshot.Tools.Count, ["version"] = snapshot.Version };
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy($"{snapshot.Servers.Count} MCP servers, {snapshot.Tools.Count} tools.", data)
            : HealthCheckResult.Degraded($"MCP servers not answering: {string.Join(", ", down.Select(s => $"{s.Label} ({s.LastError})"))}.", data: data));
    }
}
