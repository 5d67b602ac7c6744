using ModelContextProtocol.Client;

namespace Platform.Api.Tools.Sessions;

/// <summary>One pooled MCP session; its mutable fields are guarded by the owning pool's lock.</summary>
internal sealed class PooledSession(Task<McpClient> ready, long createdAt)
{
    public Task<McpClient> Ready { get; } = ready;
    public long CreatedAt { get; } = createdAt;
    public int InFlight { get; set; }
    public long LastUsedAt { get; set; } = createdAt;
    public bool Discarded { get; set; }

    /// <summary>Opening failed, or the server ended the session (404, transport closed).</summary>
    public bool IsDead => Discarded
        || Ready.IsFaulted || Ready.IsCanceled
        || (Ready.IsCompletedSuccessfully && Ready.Result.Completion.IsCompleted);
}
