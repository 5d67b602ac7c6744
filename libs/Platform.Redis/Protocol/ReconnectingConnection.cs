using Microsoft.Extensions.Logging;
using Platform.Redis.Telemetry;

namespace Platform.Redis.Protocol;

/// <summary>
/// Keeps one logical connection alive: connects in the background, and after a loss reconnects with
/// exponential backoff. While it is down <see cref="Current"/> is null and callers fail fast.
/// </summary>
internal sealed class ReconnectingConnection(
    RedisConnectionOptions options,
    string role,
    ILogger logger,
    Action<RedisReply>? pushHandler = null,
    Func<RedisPhysicalConnection, CancellationToken, Task>? onConnected = null,
    Action<bool>? onStateChanged = null) : IAsyncDisposable
{
    private static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaximumDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _disposed = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RedisPhysicalConnection? _current;
    private Task? _loop;

    public RedisPhysicalConnection? Current => _current;

    /// <summary>Completes (never faults) when the first connection attempt has succeeded or failed.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public Exception? LastError { get; private set; }

    public void Start() => _loop ??= Task.Run(RunAsync);

    public RedisConnectionException NotConnected() => new(
        $"No connection to Redis ({role}) is available{(LastError is { } error ? ": " + error.Message : ".")}", LastError);

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _disposed.Cancel();
        if (_loop is not null)
        {
            await _loop;
        }
        _firstAttempt.TrySetResult();
        _disposed.Dispose();
    }

    private async Task RunAsync()
    {
        var delay = InitialDelay;
        var wasConnected = false;
        while (!_disposed.IsCancellationRequested)
        {
            RedisPhysicalConnection? connection = null;
            try
            {
                connection = await RedisPhysicalConnection.ConnectAsync(options, pushHandler, _disposed.Token);
                if (onConnected is not null)
                {
                    await onConnected(connection, _disposed.Token);
                }
            }
            catch (Exception error)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                if (_disposed.IsCancellationRequested)
                {
                    break;
                }
                LastError = error;
                _firstAttempt.TrySetResult();
                // One warning per outage; the retries that follow are debug noise.
                logger.Log(delay == InitialDelay ? LogLevel.Warning : LogLevel.Debug,
                    "Redis {Role} connection failed, retrying in {Delay} ms: {Error}", role, delay.TotalMilliseconds, error.Message);
                await DelayAsync(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 50)));
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaximumDelay.Ticks));
                continue;
            }

            delay = InitialDelay;
            LastError = null;
            _current = connection;
            if (wasConnected)
            {
                RedisTelemetry.RecordReconnect();
            }
            wasConnected = true;
            logger.LogInformation("Redis {Role} connection established to {Host}:{Port}.", role, connection.EndPoint.Host, connection.EndPoint.Port);
            Notify(true);
            _firstAttempt.TrySetResult();

            using (_disposed.Token.Register(static state => ((RedisPhysicalConnection)state!).Close(new RedisConnectionException("The Redis connection was disposed.")), connection))
            {
                await connection.Closed;
            }
            _current = null;
            LastError = connection.CloseReason;
            if (_disposed.IsCancellationRequested)
            {
                break;
            }
            logger.LogWarning("Redis {Role} connection lost: {Error}", role, LastError?.Message);
            Notify(false);
        }
    }

    private void Notify(bool connected)
    {
        try
        {
            onStateChanged?.Invoke(connected);
        }
        catch (Exception error)
        {
            logger.LogError(error, "A Redis connection state handler failed.");
        }
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _disposed.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
