using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.Caching;

/// <summary>
/// Carries cache invalidations between instances over Redis pub/sub: HybridCache removes a key or a tag
/// from its own memory (and Redis) but never tells the other instances, whose memory keeps serving it.
/// Each message is applied to every other instance's local HybridCache without being published again.
/// Messages: <c>{sender}\nk\n{key}</c> and <c>{sender}\nt\n{tag}</c>. Other parts of the application
/// publish their own kinds (<see cref="PublishAsync"/>, <see cref="Received"/>): API key revocations.
/// When the subscription comes back after a lost connection, messages published meanwhile are lost, so
/// the instance forgets what it holds in memory (<see cref="Reconnected"/>).
/// </summary>
public sealed partial class CacheInvalidationBus : IHostedService, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<CacheInvalidationBus> _logger;
    private readonly RedisChannel _channel;
    private readonly string _sender = Guid.NewGuid().ToString("N");
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private ClusteredHybridCache? _cache;
    private volatile bool _isSubscribed;

    public CacheInvalidationBus(IConnectionMultiplexer redis, IOptions<PlatformCacheOptions> options, ILogger<CacheInvalidationBus> logger)
    {
        _redis = redis;
        _logger = logger;
        _channel = RedisChannel.Literal(options.Value.InvalidationChannel);
    }

    /// <summary>A message of a kind other than the cache's, published by another instance: (kind, payload).</summary>
    public event Action<string, string>? Received;

    /// <summary>Raised after the subscription was restored: messages may have been missed.</summary>
    public event Action? Reconnected;

    /// <summary>Completes once subscribed, or once the first attempt failed with Redis down (it is retried on reconnect).</summary>
    public Task Subscribed => _subscribed.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionRestored += OnConnectionRestored;
        await EnsureSubscribedAsync().ConfigureAwait(false);
        _subscribed.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        if (_isSubscribed)
        {
            _isSubscribed = false;
            try
            {
                await _redis.GetSubscriber().UnsubscribeAsync(_channel, OnMessage).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Redis is gone: nothing left to unsubscribe from.
            }
        }
    }

    public void Dispose() => _subscribing.Dispose();

    public Task PublishKeyRemovedAsync(string key) => PublishAsync("k", key);

    public Task PublishTagInvalidatedAsync(string tag) => PublishAsync("t", tag);

    /// <summary>Tells every other instance; best effort: with Redis down they keep their copy until it expires.</summary>
    public async Task PublishAsync(string kind, string payload)
    {
        if (!_redis.IsConnected)
        {
            return;
        }
        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, $"{_sender}\n{kind}\n{payload}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishFailed(_logger, ex);
        }
    }

    internal void Attach(ClusteredHybridCache cache) => _cache = cache;

    private async Task EnsureSubscribedAsync()
    {
        await _subscribing.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_isSubscribed)
            {
                return;
            }
            // Once subscribed, StackExchange.Redis subscribes again by itself after every reconnect.
            await _redis.GetSubscriber().SubscribeAsync(_channel, OnMessage).ConfigureAwait(false);
            _isSubscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSubscribeFailed(_logger, _channel.ToString(), ex);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }
        _ = OnSubscriptionRestoredAsync();
    }

    private async Task OnSubscriptionRestoredAsync()
    {
        LogReconnected(_logger);
        await EnsureSubscribedAsync().ConfigureAwait(false);
        try
        {
            if (_cache is { } cache)
            {
                await cache.ForgetLocalStateAsync().ConfigureAwait(false);
            }
            Reconnected?.Invoke();
        }
        catch (Exception ex)
        {
            LogApplyFailed(_logger, ex);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        var parts = ((string?)value ?? "").Split('\n', 3);
        if (parts.Length < 3 || parts[0] == _sender)
        {
            return;
        }
        _ = ApplyAsync(parts[1], parts[2]);
    }

    private async Task ApplyAsync(string kind, string payload)
    {
        try
        {
            switch (kind)
            {
                case "k" when _cache is not null:
                    await _cache.RemoveLocalAsync(payload).ConfigureAwait(false);
                    break;
                case "t" when _cache is not null:
                    await _cache.RemoveByTagLocalAsync(payload).ConfigureAwait(false);
                    break;
                default:
                    Received?.Invoke(kind, payload);
                    break;
            }
        }
        catch (Exception ex)
        {
            LogApplyFailed(_logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not subscribe to cache invalidations on {Channel}; retrying when Redis is back.")]
    private static partial void LogSubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Could not publish a cache invalidation; other instances keep their copy until it expires.")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Redis pub/sub reconnected: invalidations may have been missed, so the in-memory cache starts afresh.")]
    private static partial void LogReconnected(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Applying a cache invalidation from another instance failed.")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
