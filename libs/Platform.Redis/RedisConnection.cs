using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Redis.Protocol;
using Platform.Redis.Telemetry;

namespace Platform.Redis;

/// <summary>
/// A multiplexed Redis client: one pipelined socket shared by all callers, a separate socket for
/// pub/sub and a small pool for blocking reads. Reconnects by itself; while Redis is unreachable,
/// commands fail at once with <see cref="RedisConnectionException"/>.
/// </summary>
public sealed class RedisConnection : RedisCommands, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan TimeoutCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly RedisConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly ReconnectingConnection _interactive;
    private readonly RedisSubscriptions _subscriptions;
    private readonly BlockingConnectionPool _blocking;
    private readonly Timer _timeouts;
    private readonly long _syncTimeoutTicks;
    private int _disposed;

    private RedisConnection(RedisConnectionOptions options, ILoggerFactory loggerFactory)
    {
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("Redis options name no endpoint.", nameof(options));
        }
        _options = options;
        _logger = loggerFactory.CreateLogger<RedisConnection>();
        _syncTimeoutTicks = (long)(options.SyncTimeout.TotalSeconds * Stopwatch.Frequency);
        _interactive = new ReconnectingConnection(options, "interactive", _logger, onStateChanged: OnConnectionChanged);
        _subscriptions = new RedisSubscriptions(options, _logger);
        _blocking = new BlockingConnectionPool(options, this);
        _timeouts = new Timer(static state => ((RedisConnection)state!).FailExpiredCommands(), this, TimeoutCheckInterval, TimeoutCheckInterval);
    }

    /// <summary>True while the socket for ordinary commands is connected.</summary>
    public bool IsConnected => _interactive.Current is { IsOpen: true };

    /// <summary>Raised with true when the connection is (re)established and false when it is lost.</summary>
    public event EventHandler<bool>? ConnectionChanged;

    /// <summary>Returns at once and connects in the background (abortConnect=false semantics).</summary>
    public static RedisConnection Create(RedisConnectionOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = new RedisConnection(options, loggerFactory ?? NullLoggerFactory.Instance);
        connection._interactive.Start();
        return connection;
    }

    /// <summary>Connects now; throws <see cref="RedisConnectionException"/> when unreachable and abortConnect is true.</summary>
    public static Task<RedisConnection> ConnectAsync(string connectionString, CancellationToken ct = default) =>
        ConnectAsync(RedisConnectionOptions.Parse(connectionString), null, ct);

    public static async Task<RedisConnection> ConnectAsync(RedisConnectionOptions options, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        var connection = Create(options, loggerFactory);
        try
        {
            await connection._interactive.FirstAttempt.WaitAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        if (!connection.IsConnected && options.AbortOnConnectFail)
        {
            var error = connection._interactive.NotConnected();
            await connection.DisposeAsync();
            throw error;
        }
        return connection;
    }

    /// <summary>Round trip time of a PING.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        await SendAsync("PING", [], static r => r, ct);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Appends one entry per value, each with the single field <paramref name="field"/> and an id Redis
    /// assigns, in one pipelined write awaited as one task: far cheaper per entry than a batch of
    /// <see cref="RedisCommands.XAddAsync"/> when appending in bulk. Returns how many entries were added.
    /// An error reply for any entry throws <see cref="RedisServerException"/> once all replies arrived
    /// (the other entries were added); on a lost connection or timeout some entries may have been added.
    /// </summary>
    public Task<int> XAddManyAsync(string stream, string field, IReadOnlyList<ReadOnlyMemory<byte>> values, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(values);
        return values.Count == 0 ? Task.FromResult(0) : SubmitAsync(new XAddManyRequest(stream, field, values), ct);
    }

    /// <summary>Commands added to the batch are sent together, in one write, by <see cref="RedisBatch.ExecuteAsync"/>.</summary>
    public RedisBatch CreateBatch() => new(this);

    /// <summary>
    /// Subscribes on the pub/sub connection; dispose the result to unsubscribe. The subscription is restored
    /// after every reconnect, and subscribing while Redis is unreachable succeeds and takes effect once it is back.
    /// </summary>
    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _subscriptions.SubscribeAsync(channel, handler, ct);
    }

    public override async Task<RedisReply> EvalAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<RedisArg> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            return await SendScriptAsync("EVALSHA", script.Sha1, keys, args, ct);
        }
        catch (RedisServerException error) when (error.ErrorPrefix == "NOSCRIPT")
        {
            await SendAsync("SCRIPT", ["LOAD", script.Source], static r => r, ct);
            return await SendScriptAsync("EVALSHA", script.Sha1, keys, args, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _timeouts.DisposeAsync();
        await _interactive.DisposeAsync();
        await _subscriptions.DisposeAsync();
        await _blocking.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private protected override Task<T> SubmitAsync<T>(RedisRequest<T> request, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(ct);
        }
        if (_interactive.Current is not { } connection)
        {
            // Right after Create the first connect is still running: wait for it rather than fail.
            return _interactive.FirstAttempt.IsCompleted || _disposed != 0
                ? Task.FromException<T>(_interactive.NotConnected())
                : SubmitAfterFirstAttemptAsync(request, ct);
        }
        Stamp(request, _syncTimeoutTicks);
        request.Activity = RedisTelemetry.StartCommand(request.Command, connection.EndPoint);
        request.RegisterCancellation(ct);
        if (!connection.TrySubmit(request))
        {
            request.Fail(_interactive.NotConnected());
        }
        return request.Task;
    }

    private async Task<T> SubmitAfterFirstAttemptAsync<T>(RedisRequest<T> request, CancellationToken ct)
    {
        await _interactive.FirstAttempt.WaitAsync(_options.ConnectTimeout, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
        if (_interactive.Current is null)
        {
            throw _interactive.NotConnected();
        }
        return await SubmitAsync(request, ct);
    }

    private protected override Task<T> SendBlockingAsync<T>(string command, RedisArg[] args, Func<RedisReply, T> project, TimeSpan block, CancellationToken ct, RespWireReader<T>? readWire = null)
    {
        if (!IsConnected)
        {
            return Task.FromException<T>(_interactive.NotConnected());
        }
        return _blocking.SendAsync(command, args, project, block + _options.SyncTimeout, ct, readWire);
    }

    internal async Task ExecuteBatchAsync(IReadOnlyList<RedisRequest> requests, CancellationToken ct)
    {
        if (requests.Count == 0)
        {
            return;
        }
        if (_interactive.Current is null && !_interactive.FirstAttempt.IsCompleted && _disposed == 0)
        {
            // Like SendAsync: right after Create the first connect is still running, so wait for it rather than fail.
            // Cancellation is honoured below, once every request has been completed or submitted.
            await _interactive.FirstAttempt.WaitAsync(_options.ConnectTimeout, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (_interactive.Current is not { } connection)
        {
            var error = _interactive.NotConnected();
            foreach (var request in requests)
            {
                request.Fail(error);
            }
            throw error;
        }
        var activity = RedisTelemetry.StartCommand("BATCH", connection.EndPoint);
        activity?.SetTag("db.operation.batch.size", requests.Count);
        foreach (var request in requests)
        {
            Stamp(request, _syncTimeoutTicks);
        }
        if (!connection.TrySubmit(requests))
        {
            var error = _interactive.NotConnected();
            foreach (var request in requests)
            {
                request.Fail(error);
            }
            RedisTelemetry.StopCommand(activity, error);
            throw error;
        }
        try
        {
            foreach (var request in requests)
            {
                await request.Completion.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                ct.ThrowIfCancellationRequested();
            }
            RedisTelemetry.StopCommand(activity, null);
        }
        catch (Exception error)
        {
            RedisTelemetry.StopCommand(activity, error);
            throw;
        }
    }

    private static void Stamp(RedisRequest request, long timeoutTicks)
    {
        var now = Stopwatch.GetTimestamp();
        request.StartTimestamp = now;
        request.Deadline = now + timeoutTicks;
    }

    private void FailExpiredCommands() => _interactive.Current?.FailExpired(Stopwatch.GetTimestamp(), _options.SyncTimeout);

    private void OnConnectionChanged(bool connected)
    {
        if (!connected)
        {
            _blocking.Clear();
        }
        ConnectionChanged?.Invoke(this, connected);
    }
}
