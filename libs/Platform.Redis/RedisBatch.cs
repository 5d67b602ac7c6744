using Platform.Redis.Protocol;

namespace Platform.Redis;

/// <summary>
/// Commands queued on the client until <see cref="ExecuteAsync"/> writes them all in one write.
/// Each command's task then completes with its own reply.
/// </summary>
public sealed class RedisBatch : RedisCommands
{
    private readonly RedisConnection _connection;
    private readonly List<RedisRequest> _requests = [];
    private bool _executed;

    internal RedisBatch(RedisConnection connection) => _connection = connection;

    public int Count => _requests.Count;

    /// <summary>
    /// Sends every queued command and waits until all replies arrived. Server errors surface on the
    /// individual tasks; this throws only when the connection is unavailable or the caller cancels.
    /// </summary>
    public Task ExecuteAsync(CancellationToken ct = default)
    {
        if (_executed)
        {
            throw new InvalidOperationException("A Redis batch can be executed only once.");
        }
        _executed = true;
        return _connection.ExecuteBatchAsync(_requests, ct);
    }

    private protected override Task<T> SubmitAsync<T>(RedisRequest<T> request, CancellationToken ct)
    {
        if (_executed)
        {
            throw new InvalidOperationException("Commands cannot be added to a Redis batch after it was executed.");
        }
        request.RegisterCancellation(ct);
        _requests.Add(request);
        return request.Task;
    }
}
