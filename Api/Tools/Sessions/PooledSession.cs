using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>One pooled MCP session; its mutable fields are guarded by the owning pool's lock.</summary>
internal sealed class PooledSession(Task<McpClient> ready, long createdAt)
{
    public Task<McpClient> Ready { get; } = ready;
    public long CreatedAt { get; } = createdAt;
    public int InFlight { get; set; }
    public long LastUsedAt { get; set; } = createdAt;
    public bool Discarded { get; set; }

    private readonly ConcurrentDictionary<string, byte> _knownTools = new(StringComparer.Ordinal);

    /// <summary>Puts a tool's definition in the client's tool cache the first time this session calls it.</summary>
    public void RegisterTool(McpClient client, string name, JsonElement inputSchema, ILogger logger)
    {
        if (!_knownTools.TryAdd(name, 0))
        {
            return;
        }
        try
        {
            client.AddKnownTools([new Tool { Name = name, InputSchema = inputSchema }]);
        }
        catch (ArgumentException ex)
        {
            // A schema the SDK cannot derive headers from: the call goes without them, as it would after a listing.
            logger.LogDebug("Tool {Tool} not registered with its MCP session: {Error}", name, ex.Message);
        }
    }

    /// <summary>Opening failed, or the server ended the session (404, transport closed).</summary>
    public bool IsDead => Discarded
        || Ready.IsFaulted || Ready.IsCanceled
        || (Ready.IsCompletedSuccessfully && Ready.Result.Completion.IsCompleted);
}
