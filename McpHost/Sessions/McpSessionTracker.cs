using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Platform.McpHost.Telemetry;

namespace Platform.McpHost.Sessions;

/// <summary>
/// Counts McpHost's sessions for the session limit, the health check and the session metrics. The SDK keeps
/// its sessions to itself; it bounds idle ones (<see cref="McpHostOptions.MaxIdleSessions"/>) but not those
/// with a request or a GET stream open, so the hard limit is a slot each session holds from the request that
/// starts it (<see cref="TryReserve"/>) until its server stops running (<see cref="RunSessionAsync"/>).
/// </summary>
internal sealed class McpSessionTracker
{
    private readonly IOptionsMonitor<McpHostOptions> _options;
    private readonly McpHostTelemetry _telemetry;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ConcurrentDictionary<string, byte> _deleting = new(StringComparer.Ordinal);
    private int _slots;
    private int _open;

    public McpSessionTracker(IOptionsMonitor<McpHostOptions> options, McpHostTelemetry telemetry, IHostApplicationLifetime lifetime)
    {
        _options = options;
        _telemetry = telemetry;
        _lifetime = lifetime;
        telemetry.ObserveActiveSessions(() => Volatile.Read(ref _open));
    }

    /// <summary>Sessions whose server is running now.</summary>
    public int Count => Volatile.Read(ref _open);

    /// <summary>
    /// Takes a slot for a request that may start a session; false when <see cref="McpHostOptions.MaxSessions"/>
    /// slots are held. Taking and checking in one step keeps a burst of initializes from overshooting.
    /// </summary>
    public bool TryReserve()
    {
        var max = _options.CurrentValue.MaxSessions;
        while (true)
        {
            var slots = Volatile.Read(ref _slots);
            if (slots >= max)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _slots, slots + 1, slots) == slots)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot whose request started no session (an error, or not an initialize).</summary>
    public void Release() => Interlocked.Decrement(ref _slots);

    /// <summary>A DELETE for this session is about to run: its end is the client's doing, not an expiry.</summary>
    public void MarkDeleting(string sessionId) => _deleting.TryAdd(sessionId, 0);

    public void UnmarkDeleting(string sessionId) => _deleting.TryRemove(sessionId, out _);

    /// <summary>
    /// The SDK's RunSessionHandler: runs each server and sees it start and stop. Requests of the sessionless
    /// revision get a server of their own per request (no session id); they hold no slot and are not sessions.
    /// </summary>
    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken sessionClosed)
    {
        if (server.SessionId is not { Length: > 0 } sessionId)
        {
            await server.RunAsync(sessionClosed);
            return;
        }

        Interlocked.Increment(ref _open);
        _telemetry.SessionOpened();
        try
        {
            await server.RunAsync(sessionClosed);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            Release();
            var deleted = _deleting.TryRemove(sessionId, out _);
            _telemetry.SessionClosed(expired: !deleted && !_lifetime.ApplicationStopping.IsCancellationRequested);
        }
    }
}
