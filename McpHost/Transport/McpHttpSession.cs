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
    private bool _disposed;
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
        get { lock (_lock) { return _disposed; } }
    }

    /// <summary>Marks a POST as using the session until the returned handle is disposed; null once the session is closed.</summary>
    public IDisposable? TryAcquire(TimeProvider time)
    {
        lock (_lock)
        {
            if (_disposed)
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
            if (_disposed)
            {
                return;
            }
            _disposed = true;
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
            _closed.Dispose();
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
