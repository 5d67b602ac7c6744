using ModelContextProtocol.Server;

namespace Platform.McpHost.Transport;

/// <summary>
/// One Streamable HTTP session: its transport, the MCP server running over it, and how many POSTs are
/// using it right now (a session with POSTs in flight is never idle). An open GET stream is not
/// activity: a client that only listens still expires, so abandoned streams cannot pin sessions forever.
/// </summary>
internal sealed class McpHttpSession(string id, StreamableHttpServerTransport transport, McpServer server, DateTimeOffset now) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _closed = new();
    private int _requestsInFlight;
    private int _getStreamStarted;
    private bool _closing;
    private int _disposeStarted;
    private DateTimeOffset _lastActivity = now;

    public string Id => id;
    public StreamableHttpServerTransport Transport => transport;
    public McpServer Server => server;
    public Task RunTask { get; set; } = Task.CompletedTask;
    public CancellationToken Closed => _closed.Token;

    public bool IsIdle
    {
        get { lock (_lock) { return _requestsInFlight == 0; } }
    }

    public DateTimeOffset LastActivity
    {
        get { lock (_lock) { return _lastActivity; } }
    }

    public bool IsClosed
    {
        get { lock (_lock) { return _closing; } }
    }

    /// <summary>
    /// Atomically checks that no POST is in flight and none arrived after <paramref name="idleSince"/>, and if
    /// so refuses every later <see cref="TryAcquire"/>; true when the caller may now close the session.
    /// Checking idleness and closing in two steps would let a POST acquire the session in between and
    /// have its transport disposed under it.
    /// </summary>
    public bool TryBeginCloseIfIdle(DateTimeOffset idleSince)
    {
        lock (_lock)
        {
            if (_closing || _requestsInFlight != 0 || _lastActivity > idleSince)
            {
                return false;
            }
            _closing = true;
            return true;
        }
    }

    /// <summary>Marks a POST as using the session until the returned handle is disposed; null once the session is closed.</summary>
    public IDisposable? TryAcquire(TimeProvider time)
    {
        lock (_lock)
        {
            if (_closing)
            {
                return null;
            }
            _requestsInFlight++;
            _lastActivity = time.GetUtcNow();
            return new Release(this, time);
        }
    }

    /// <summary>The spec allows one standalone GET stream per session.</summary>
    public bool TryStartGetStream() => Interlocked.Exchange(ref _getStreamStarted, 1) == 0;

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closing = true;
        }
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        try
        {
            // Transport first: it completes the server's message reader, so RunAsync ends without an exception.
            await transport.DisposeAsync();
            await _closed.CancelAsync();
            await RunTask;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await server.DisposeAsync();
            // _closed is not disposed: it owns no timer or wait handle, and a GET racing the close may still
            // read Closed, which would throw ObjectDisposedException (a 500) on a disposed source.
        }
    }

    private sealed class Release(McpHttpSession session, TimeProvider time) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }
            lock (session._lock)
            {
                session._requestsInFlight--;
                session._lastActivity = time.GetUtcNow();
            }
        }
    }
}
