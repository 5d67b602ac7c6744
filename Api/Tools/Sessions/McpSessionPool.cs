using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>
/// A bounded set of long-lived MCP sessions to one server, shared by concurrent calls (one session
/// carries many requests at once). Sessions open lazily; the least busy one takes the next call and a
/// new one opens only when all are busy and the bound allows. A dead session is replaced, and the call
/// retried once when the server cannot have run it (or the tool says it is idempotent).
/// </summary>
public sealed class McpSessionPool : IAsyncDisposable
{
    private readonly McpClientFactory _factory;
    private readonly McpSessionPoolOptions _options;
    private readonly McpMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private readonly List<PooledSession> _sessions = [];
    private long _created, _reused, _failed, _closed;

    public McpSessionPool(string serverLabel, McpClientFactory factory, McpSessionPoolOptions options, McpMetrics metrics, ILogger logger, TimeProvider time)
    {
        ServerLabel = serverLabel;
        _factory = factory;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    public string ServerLabel { get; }

    public McpPoolStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new McpPoolStatistics(_created, _reused, _failed, _closed, _sessions.Count, _sessions.Sum(s => s.InFlight));
            }
        }
    }

    /// <param name="inputSchema">
    /// The tool's input schema from the catalog. The SDK client wants each tool it calls in its tool cache (it
    /// derives request headers from the schema) and logs a warning for every call without it; a pooled session
    /// never lists tools, so the pool registers the catalog's definition once per session instead.
    /// </param>
    public async Task<CallToolResult> CallToolAsync(
        string toolName, IReadOnlyDictionary<string, object?>? arguments, bool idempotent, CancellationToken cancellationToken,
        JsonElement? inputSchema = null)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        _metrics.CallStarted(ServerLabel);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var session = Acquire();
                var closedBeforeCall = false;
                try
                {
                    var client = await session.Ready.WaitAsync(cancellationToken);
                    closedBeforeCall = client.Completion.IsCompleted;
                    if (inputSchema is { } schema)
                    {
                        session.RegisterTool(client, toolName, schema, _logger);
                    }
                    var result = await client.CallToolAsync(toolName, arguments, cancellationToken: cancellationToken);
                    outcome = result.IsError == true ? "tool_error" : "ok";
                    return result;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                    && (ex is OperationCanceledException || McpFailure.IsSessionFailure(ex) || session.IsDead))
                {
                    // A cancellation nobody asked for means the session was closed under the call.
                    Discard(session, "failed", ex);
                    var opened = session.Ready.IsCompletedSuccessfully;
                    var neverSent = !opened || closedBeforeCall || McpFailure.ServerNeverSawTheCall(ex);
                    if (attempt > 0 || !(idempotent || neverSent))
                    {
                        throw new McpServerUnavailableException(ServerLabel, toolName, mayHaveRun: !neverSent, ex);
                    }
                    _logger.LogInformation("MCP session to {Server} failed ({Error}); retrying {Tool} on a new session.", ServerLabel, ex.Message, toolName);
                }
                finally
                {
                    Release(session);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            _metrics.CallFinished(ServerLabel, toolName, outcome, started);
        }
    }

    /// <summary>Closes sessions nobody used for <see cref="McpSessionPoolOptions.IdleTimeout"/>, and dead ones.</summary>
    public void CloseIdleSessions()
    {
        var now = _time.GetTimestamp();
        List<PooledSession> closing = [];
        lock (_gate)
        {
            foreach (var session in _sessions)
            {
                if (session.InFlight == 0 && (session.IsDead || _time.GetElapsedTime(session.LastUsedAt, now) >= _options.IdleTimeout))
                {
                    closing.Add(session);
                }
            }
            foreach (var session in closing)
            {
                RemoveLocked(session);
            }
        }
        foreach (var session in closing)
        {
            _metrics.SessionClosed(ServerLabel, session.IsDead ? "dead" : "idle");
            _ = CloseAsync(session);
        }
    }

    private PooledSession Acquire()
    {
        List<PooledSession>? dead = null;
        PooledSession chosen;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            for (var i = _sessions.Count - 1; i >= 0; i--)
            {
                if (_sessions[i].IsDead)
                {
                    (dead ??= []).Add(_sessions[i]);
                    RemoveLocked(_sessions[i]);
                }
            }

            PooledSession? leastBusy = null;
            foreach (var session in _sessions)
            {
                if (leastBusy is null || session.InFlight < leastBusy.InFlight)
                {
                    leastBusy = session;
                }
            }

            var maxSessions = Math.Max(1, _options.MaxSessionsPerServer);
            if (leastBusy is null || (leastBusy.InFlight >= _options.CallsPerSession && _sessions.Count < maxSessions))
            {
                chosen = new PooledSession(OpenAsync(), _time.GetTimestamp());
                _sessions.Add(chosen);
                _created++;
            }
            else
            {
                chosen = leastBusy;
                _reused++;
                _metrics.SessionReused(ServerLabel);
            }
            chosen.InFlight++;
            chosen.LastUsedAt = _time.GetTimestamp();
        }
        if (dead is not null)
        {
            foreach (var session in dead)
            {
                _metrics.SessionClosed(ServerLabel, "dead");
                _ = CloseAsync(session);
            }
        }
        return chosen;
    }

    private async Task<McpClient> OpenAsync()
    {
        await Task.Yield(); // never open under the pool's lock
        try
        {
            var client = await _factory.CreateAsync(ServerLabel, notifications: null, _disposed.Token);
            _metrics.SessionCreated(ServerLabel);
            return client;
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Could not open an MCP session to {Server}: {Error}", ServerLabel, ex.Message);
            throw;
        }
    }

    private void Release(PooledSession session)
    {
        lock (_gate)
        {
            session.InFlight--;
            session.LastUsedAt = _time.GetTimestamp();
        }
    }

    private void Discard(PooledSession session, string reason, Exception error)
    {
        bool removed;
        lock (_gate)
        {
            removed = RemoveLocked(session);
            session.Discarded = true;
        }
        if (removed)
        {
            Interlocked.Increment(ref _failed);
            _metrics.SessionFailed(ServerLabel);
            _metrics.SessionClosed(ServerLabel, reason);
            _logger.LogWarning("MCP session to {Server} discarded: {Error}", ServerLabel, error.Message);
            _ = CloseAsync(session);
        }
    }

    private bool RemoveLocked(PooledSession session)
    {
        if (!_sessions.Remove(session))
        {
            return false;
        }
        _closed++;
        return true;
    }

    private async Task CloseAsync(PooledSession session)
    {
        try
        {
            var client = await session.Ready;
            // Closing sends DELETE (or ends a stdio process); a dead server must not hold the caller up for long.
            await _factory.CloseAsync(client).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch
        {
            // The session is gone either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        PooledSession[] sessions;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }
            _disposed.Cancel();
            sessions = [.. _sessions];
            _sessions.Clear();
        }
        await Task.WhenAll(sessions.Select(CloseAsync));
        _disposed.Dispose();
    }
}
