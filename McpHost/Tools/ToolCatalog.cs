using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Platform.McpHost.Telemetry;

namespace Platform.McpHost.Tools;

/// <summary>
/// Every tool McpHost has, and the live collection sessions list from. A tool is enabled unless
/// <see cref="McpHostOptions.DisabledTools"/> (reloadable) or the admin API disables it; changing the
/// live collection makes the SDK send notifications/tools/list_changed to every open session.
/// </summary>
internal sealed class ToolCatalog : IDisposable
{
    private readonly FrozenDictionary<string, McpServerTool> _tools;
    private readonly HashSet<string> _disabledByAdmin = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IDisposable? _optionsSubscription;
    private readonly ILogger<ToolCatalog> _logger;
    private FrozenSet<string> _disabledByConfiguration = FrozenSet<string>.Empty;
    private bool _started;

    public ToolCatalog(IEnumerable<HostTool> tools, McpHostTelemetry telemetry, IOptionsMonitor<McpHostOptions> options, ILogger<ToolCatalog> logger)
    {
        _logger = logger;
        _tools = tools.ToFrozenDictionary(t => t.ProtocolTool.Name, McpServerTool (t) => new InstrumentedTool(t, telemetry), StringComparer.Ordinal);
        ApplyConfiguration(options.CurrentValue);
        _optionsSubscription = options.OnChange(ApplyConfiguration);
    }

    /// <summary>The enabled tools; give this to <see cref="McpServerOptions.ToolCollection"/>.</summary>
    public McpServerPrimitiveCollection<McpServerTool> Enabled { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _tools.Keys;

    public ToolState GetState(string name)
    {
        lock (_lock)
        {
            return !_tools.ContainsKey(name) ? ToolState.NotFound
                : _disabledByConfiguration.Contains(name) ? ToolState.DisabledByConfiguration
                : _disabledByAdmin.Contains(name) ? ToolState.DisabledByAdmin
                : ToolState.Enabled;
        }
    }

    public ToolState Enable(string name)
    {
        lock (_lock)
        {
            if (_tools.ContainsKey(name))
            {
                _disabledByAdmin.Remove(name);
                Synchronize();
            }
        }
        return GetState(name);
    }

    public ToolState Disable(string name)
    {
        lock (_lock)
        {
            if (_tools.ContainsKey(name))
            {
                _disabledByAdmin.Add(name);
                Synchronize();
            }
        }
        return GetState(name);
    }

    public void Dispose() => _optionsSubscription?.Dispose();

    private void ApplyConfiguration(McpHostOptions options)
    {
        lock (_lock)
        {
            var disabled = options.DisabledTools.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToFrozenSet(StringComparer.Ordinal);
            foreach (var unknown in disabled.Where(n => !_tools.ContainsKey(n)))
            {
                _logger.LogWarning("McpHost:DisabledTools names unknown tool {Tool}", unknown);
            }
            _disabledByConfiguration = disabled;
            Synchronize();
            _started = true;
        }
    }

    private void LogChange(string tool, string change) =>
        _logger.Log(_started ? LogLevel.Information : LogLevel.Debug, "Tool {Tool} {Change}", tool, change);

    // One list_changed per change set, however many tools it touches.
    private void Synchronize()
    {
        using var batch = Enabled.DeferChangedEvents();
        foreach (var (name, tool) in _tools)
        {
            var enabled = !_disabledByConfiguration.Contains(name) && !_disabledByAdmin.Contains(name);
            if (enabled && !Enabled.TryGetPrimitive(name, out _))
            {
                Enabled.Add(tool);
                LogChange(name, "enabled");
            }
            else if (!enabled && Enabled.TryGetPrimitive(name, out var current))
            {
                Enabled.Remove(current);
                LogChange(name, "disabled");
            }
        }
    }
}
