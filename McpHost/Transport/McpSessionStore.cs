using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.McpHost.Telemetry;

namespace Platform.McpHost.Transport;

/// <summary>
/// The live sessions of this process. Bounded: past <see cref="McpHostOptions.MaxSessions"/> the
/// least recently used idle session is closed; when every session is busy, no new one is admitted.
/// </summary>
internal sealed class McpSessionStore(
    IOptionsMonitor<McpHostOptions> options,
    McpHostTelemetry telemetry,
    TimeProvider time,
    ILogger<McpSessionStore> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, McpHttpSession> _sessions = CreateObservedMap(telemetry);
    private readonly SemaphoreSlim _admission = new(1, 1);

    public int Count => _sessions.Count;

    public TimeProvider Time => time;

    public bool TryGet(string id, out McpHttpSession session) => _sessions.TryGetValue(id, out session!);

    /// <summary>Adds a session, evicting the oldest idle one if the store is full; false when it is full of busy sessions.</summary>
    public async Task<bool> TryAddAsync(McpHttpSession session, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.Count >= options.CurrentValue.MaxSessions)
            {
                // A candidate may take a POST between the scan and the close: TryBeginCloseIfIdle re-checks
                // atomically, and the next candidate is tried when it lost that race.
                var oldestIdle = _sessions.Values.Where(s => s.IsIdle).OrderBy(s => s.LastActivity)
                    .FirstOrDefault(s => s.TryBeginCloseIfIdle(DateTimeOffset.MaxValue));
                if (oldestIdle is null)
                {
                    return false;
                }
                logger.LogInformation("Session limit {MaxSessions} reached; closing least recently used session {SessionId}", options.CurrentValue.MaxSessions, oldestIdle.Id);
                await CloseAsync(oldestIdle, expired: true);
            }

            _sessions[session.Id] = session;
            telemetry.SessionOpened();
            return true;
        }
        finally
        {
            _admission.Release();
        }
    }

    /// <summary>Ends a session on the client's request (DELETE); false if it does not exist.</summary>
    public async Task<bool> TryRemoveAsync(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return false;
        }
        return await CloseAsync(session, expired: false);
    }

    /// <summary>Closes the sessions idle for longer than the configured timeout at <paramref name="now"/>.</summary>
    public async Task<int> PruneIdleSessionsAsync(DateTimeOffset now)
    {
        var timeout = options.CurrentValue.SessionIdleTimeout;
        var closed = 0;
        foreach (var session in _sessions.Values)
        {
            // One atomic check-and-close: a POST that acquires the session after it was found idle must not
            // have the session disposed under it.
            if (session.TryBeginCloseIfIdle(now - timeout - TimeSpan.FromTicks(1)) && await CloseAsync(session, expired: true))
            {
                logger.LogDebug("Session {SessionId} closed after {IdleTimeout} idle", session.Id, timeout);
                closed++;
            }
        }
        return closed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await CloseAsync(session, expired: false);
        }
    }

    private static ConcurrentDictionary<string, McpHttpSession> CreateObservedMap(McpHostTelemetry telemetry)
    {
        var map = new ConcurrentDictionary<string, McpHttpSession>(StringComparer.Ordinal);
        telemetry.ObserveActiveSessions(() => map.Count);
        return map;
    }

    private async Task<bool> CloseAsync(McpHttpSession session, bool expired)
    {
        // Only the caller that wins the removal disposes, so DELETE and expiry never double count.
        if (!_sessions.TryRemove(new KeyValuePair<string, McpHttpSession>(session.Id, session)))
        {
            return false;
        }
        telemetry.SessionClosed(expired);
        try
        {
            await session.DisposeAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} did not close cleanly", session.Id);
        }
        return true;
    }
}
