using System.Text;
using Microsoft.Extensions.Logging;
using Platform.Redis;

namespace Platform.Caching;

/// <summary>
/// Tells the other instances over Redis pub/sub which keys were removed and which tags invalidated,
/// so their L1 stops serving them. Messages: <c>{sender}\nk\n{key}</c> and <c>{sender}\nt\n{ticks}\n{tag}</c>.
/// </summary>
internal sealed class CacheInvalidationBus(RedisConnection? redis, string channel, ILogger logger) : IAsyncDisposable
{
    private readonly string _sender = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private IAsyncDisposable? _subscription;
    private int _failedAttempts;

    public event Action<string>? KeyRemoved;

    public event Action<string, long>? TagInvalidated;

    public bool IsSubscribed => _subscription is not null;

    public async Task EnsureSubscribedAsync(CancellationToken cancellationToken = default)
    {
        if (redis is null || _subscription is not null)
        {
            return;
        }
        await _subscribing.WaitAsync(cancellationToken);
        try
        {
            _subscription ??= await redis.SubscribeAsync(channel, OnMessage, cancellationToken);
            _failedAttempts = 0;
        }
        catch (Exception exception) when (exception is RedisException or IOException or ObjectDisposedException)
        {
            logger.LogWarning(exception, "Could not subscribe to cache invalidations on {Channel}; retrying.", channel);
            _ = RetrySubscribeAsync();
        }
        finally
        {
            _subscribing.Release();
        }
    }

    public Task PublishKeyRemovedAsync(string key, CancellationToken cancellationToken) =>
        PublishAsync($"{_sender}\nk\n{key}", cancellationToken);

    public Task PublishTagInvalidatedAsync(string tag, long ticks, CancellationToken cancellationToken) =>
        PublishAsync($"{_sender}\nt\n{ticks}\n{tag}", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_subscription is { } subscription)
        {
            _subscription = null;
            try
            {
                await subscription.DisposeAsync();
            }
            catch (Exception exception) when (exception is RedisException or IOException or ObjectDisposedException)
            {
                // Redis is gone: nothing left to unsubscribe from.
            }
        }
    }

    private async Task PublishAsync(string message, CancellationToken cancellationToken)
    {
        if (redis is not { IsConnected: true })
        {
            return;
        }
        try
        {
            await redis.PublishAsync(channel, Encoding.UTF8.GetBytes(message), cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or IOException or ObjectDisposedException)
        {
            logger.LogWarning(exception, "Could not publish a cache invalidation; other instances keep their local copy until it expires.");
        }
    }

    // A reconnect event also retries, but it may have fired before this attempt failed.
    private async Task RetrySubscribeAsync()
    {
        try
        {
            var backoff = Math.Min(30, 1 << Math.Min(5, Interlocked.Increment(ref _failedAttempts) - 1));
            await Task.Delay(TimeSpan.FromSeconds(backoff), _disposed.Token);
            await EnsureSubscribedAsync(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposed: nobody listens any more.
        }
    }

    private void OnMessage(string _, ReadOnlyMemory<byte> message)
    {
        var parts = Encoding.UTF8.GetString(message.Span).Split('\n', 3);
        if (parts.Length < 3 || parts[0] == _sender)
        {
            return;
        }
        switch (parts[1])
        {
            case "k":
                KeyRemoved?.Invoke(parts[2]);
                break;
            case "t" when parts[2].Split('\n', 2) is [var ticks, var tag] && long.TryParse(ticks, out var at):
                TagInvalidated?.Invoke(tag, at);
                break;
        }
    }
}
