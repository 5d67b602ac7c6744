using System.Collections.Concurrent;
using Platform.Redis.Protocol;

namespace Platform.Redis;

/// <summary>
/// Sockets for blocking commands (XREADGROUP BLOCK), one per concurrent call, so a long wait never
/// delays the shared socket. A call that is cancelled or times out drops its socket, since its reply
/// may still come.
/// </summary>
internal sealed class BlockingConnectionPool(RedisConnectionOptions options, RedisConnection owner) : IAsyncDisposable
{
    private const int MaximumIdle = 4;

    private readonly ConcurrentQueue<RedisPhysicalConnection> _idle = new();
    private volatile bool _disposed;

    public async Task<T> SendAsync<T>(string command, RedisArg[] args, Func<RedisReply, T> project, TimeSpan timeout, CancellationToken cancellationToken, RespWireReader<T>? readWire = null)
    {
        var connection = await RentAsync(cancellationToken);
        var request = new RedisRequest<T>(command, args, project, readWire) { StartTimestamp = System.Diagnostics.Stopwatch.GetTimestamp() };
        request.Activity = Telemetry.RedisTelemetry.StartCommand(command, connection.EndPoint);
        request.RegisterCancellation(cancellationToken);
        if (!connection.TrySubmit(request))
        {
            await connection.DisposeAsync();
            var closed = new RedisConnectionException("The blocking Redis connection closed before the command was sent.", connection.CloseReason);
            // Completes the request so its cancellation registration and span end too.
            request.Fail(closed);
            throw closed;
        }
        try
        {
            var result = await request.Task.WaitAsync(timeout);
            Return(connection);
            return result;
        }
        catch (RedisServerException)
        {
            Return(connection);
            throw;
        }
        catch (TimeoutException)
        {
            var error = new RedisTimeoutException($"Redis did not reply to {command} within {timeout.TotalMilliseconds:0} ms.");
            request.Fail(error);
            await connection.DisposeAsync();
            throw error;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void Clear()
    {
        while (_idle.TryDequeue(out var connection))
        {
            connection.Close(new RedisConnectionException("The Redis connection was lost."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var connection))
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<RedisPhysicalConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, owner);
        while (_idle.TryDequeue(out var idle))
        {
            if (idle.IsOpen)
            {
                return idle;
            }
            await idle.DisposeAsync();
        }
        return await RedisPhysicalConnection.ConnectAsync(options, null, cancellationToken);
    }

    private void Return(RedisPhysicalConnection connection)
    {
        if (_disposed || !connection.IsOpen || _idle.Count >= MaximumIdle)
        {
            _ = connection.DisposeAsync().AsTask();
            return;
        }
        _idle.Enqueue(connection);
        if (_disposed && _idle.TryDequeue(out var late))
        {
            _ = late.DisposeAsync().AsTask();
        }
    }
}
