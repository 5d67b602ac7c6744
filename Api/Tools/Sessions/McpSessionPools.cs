using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Platform.Api.Tools.Sessions;

/// <summary>One <see cref="McpSessionPool"/> per configured server, created on first use.</summary>
public sealed class McpSessionPools(
    McpClientFactory factory,
    IOptions<McpOptions> options,
    McpMetrics metrics,
    ILoggerFactory loggerFactory,
    TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, McpSessionPool> _pools = new(StringComparer.Ordinal);

    public McpSessionPool Get(string serverLabel)
    {
        if (_pools.TryGetValue(serverLabel, out var pool))
        {
            return pool;
        }
        factory.GetServer(serverLabel); // throws for a server that is not configured
        return _pools.GetOrAdd(serverLabel, label => new McpSessionPool(
            label, factory, options.Value.Pool, metrics, loggerFactory.CreateLogger<McpSessionPool>(), time));
    }

    public IReadOnlyCollection<McpSessionPool> All => [.. _pools.Values];

    public void CloseIdleSessions()
    {
        foreach (var pool in _pools.Values)
        {
            pool.CloseIdleSessions();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_pools.Values.Select(p => p.DisposeAsync().AsTask()));
        _pools.Clear();
    }
}
