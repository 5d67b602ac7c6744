using System.Text;
using Microsoft.Extensions.Logging;
using Platform.Redis.Protocol;

namespace Platform.Redis;

/// <summary>
/// The pub/sub socket: handlers per channel, SUBSCRIBE for the first handler and UNSUBSCRIBE after the
/// last, and every channel subscribed again when the socket reconnects. Subscribing while Redis is
/// unreachable succeeds: the channel is subscribed as soon as the socket is back.
/// </summary>
internal sealed class RedisSubscriptions : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly ReconnectingConnection _connection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Action<string, ReadOnlyMemory<byte>>[]> _handlers = new(StringComparer.Ordinal);
    private int _started;

    /// <summary>The socket subscriptions go to; set before the reconnect's snapshot so none is missed.</summary>
    private RedisPhysicalConnection? _live;

    public RedisSubscriptions(RedisConnectionOptions options, ILogger logger)
    {
        _logger = logger;
        _timeout = options.SyncTimeout;
        _connection = new ReconnectingConnection(options, "pub/sub", logger, Dispatch, ResubscribeAsync);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _connection.Start();
        }
        await _connection.FirstAttempt.WaitAsync(cancellationToken);

        RedisRequest<RedisReply>? subscribe = null;
        lock (_lock)
        {
            var existing = _handlers.GetValueOrDefault(channel) ?? [];
            _handlers[channel] = [.. existing, handler];
            if (existing.Length == 0)
            {
                // Submitted under the lock so SUBSCRIBE and UNSUBSCRIBE of one channel reach the server in order.
                // While the socket is down the channel stays registered and the reconnect subscribes it.
                subscribe = new RedisRequest<RedisReply>("SUBSCRIBE", [channel], static r => r);
                if (_live?.TrySubmit(subscribe) != true)
                {
                    subscribe = null;
                    _logger.LogDebug("Redis pub/sub is down; channel {Channel} will be subscribed on reconnect.", channel);
                }
            }
        }
        if (subscribe is not null)
        {
            try
            {
                await WaitForReplyAsync(subscribe, cancellationToken);
            }
            catch (RedisConnectionException)
            {
                // Lost mid-subscribe: the registration stands and the reconnect restores it.
            }
            catch
            {
                await UnsubscribeAsync(channel, handler);
                throw;
            }
        }
        return new Subscription(this, channel, handler);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task UnsubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        RedisRequest<RedisReply>? unsubscribe = null;
        lock (_lock)
        {
            if (Remove(channel, handler))
            {
                unsubscribe = new RedisRequest<RedisReply>("UNSUBSCRIBE", [channel], static r => r);
                if (_live?.TrySubmit(unsubscribe) != true)
                {
                    return;
                }
            }
        }
        if (unsubscribe is not null)
        {
            // Best effort: a lost connection drops the subscription anyway and it is not restored.
            await unsubscribe.Completion.WaitAsync(_timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Removes one handler; true when it was the channel's last.</summary>
    private bool Remove(string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        if (!_handlers.TryGetValue(channel, out var handlers))
        {
            return false;
        }
        var index = Array.IndexOf(handlers, handler);
        if (index < 0)
        {
            return false;
        }
        if (handlers.Length == 1)
        {
            _handlers.Remove(channel);
            return true;
        }
        _handlers[channel] = [.. handlers[..index], .. handlers[(index + 1)..]];
        return false;
    }

    private async Task ResubscribeAsync(RedisPhysicalConnection connection, CancellationToken cancellationToken)
    {
        var requests = new List<RedisRequest<RedisReply>>();
        lock (_lock)
        {
            _live = connection;
            foreach (var channel in _handlers.Keys)
            {
                var request = new RedisRequest<RedisReply>("SUBSCRIBE", [channel], static r => r);
                requests.Add(request);
                connection.TrySubmit(request);
            }
        }
        foreach (var request in requests)
        {
            await WaitForReplyAsync(request, cancellationToken);
        }
        if (requests.Count > 0)
        {
            _logger.LogInformation("Redis pub/sub restored {Count} subscriptions.", requests.Count);
        }
    }

    private async Task WaitForReplyAsync(RedisRequest<RedisReply> request, CancellationToken cancellationToken)
    {
        try
        {
            await request.Task.WaitAsync(_timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new RedisTimeoutException($"Redis did not confirm {request.Command} within {_timeout.TotalMilliseconds:0} ms.");
        }
    }

    private void Dispatch(RedisReply message)
    {
        // ["message", channel, payload]; pattern messages carry the pattern first and are not used here.
        var parts = message.ElementArray;
        if (parts.Length != 3)
        {
            return;
        }
        var channelBytes = parts[1].AsBytes()!;
        var channel = Encoding.UTF8.GetString(channelBytes);
        Action<string, ReadOnlyMemory<byte>>[]? handlers;
        lock (_lock)
        {
            handlers = _handlers.GetValueOrDefault(channel);
        }
        if (handlers is null)
        {
            return;
        }
        var payload = parts[2].AsBytes() ?? [];
        foreach (var handler in handlers)
        {
            try
            {
                handler(channel, payload);
            }
            catch (Exception error)
            {
                _logger.LogError(error, "A handler for Redis channel {Channel} failed.", channel);
            }
        }
    }

    private sealed class Subscription(RedisSubscriptions owner, string channel, Action<string, ReadOnlyMemory<byte>> handler) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await owner.UnsubscribeAsync(channel, handler);
            }
        }
    }
}
