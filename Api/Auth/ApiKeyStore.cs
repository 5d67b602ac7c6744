using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Api.Infrastructure;
using Platform.Caching;
using Platform.Data;
using Platform.Data.Entities;

namespace Platform.Api.Auth;

/// <summary>
/// Finds API keys by hash, with an in-memory cache so that a request rarely touches PostgreSQL.
/// <list type="bullet">
/// <item>The cache is its own, bounded by entry count (<see cref="AuthOptions.KeyCacheSize"/>): it is keyed
/// by whatever callers send, so keys not found count against the limit too, and are the first to go
/// (low priority, and they expire after <see cref="AuthOptions.KeyCacheDuration"/>).</item>
/// <item>A key found is fresh for <see cref="AuthOptions.KeyCacheDuration"/>, then looked up again; while
/// PostgreSQL fails or misses <see cref="AuthOptions.KeyLookupTimeout"/>, the last answer found is served,
/// so callers already seen keep working through a database outage. A key never seen gets
/// <see cref="DatabaseUnavailableException"/> (503) within the timeout, not a minute of retries.</item>
/// <item>A revocation is published on the <see cref="CacheInvalidationBus"/>, so every instance drops the key
/// at once. An instance whose pub/sub connection came back may have missed revocations: it forgets every
/// key it holds (the bus's <see cref="CacheInvalidationBus.Reconnected"/>).</item>
/// </list>
/// </summary>
public sealed partial class ApiKeyStore : IDisposable
{
    private const string RevokedMessage = "apikey-revoked";

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly MemoryCache _cache;
    private readonly IOptionsMonitor<AuthOptions> _options;
    private readonly CacheInvalidationBus _bus;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyStore> _logger;

    public ApiKeyStore(IServiceScopeFactory scopeFactory, IOptionsMonitor<AuthOptions> options, CacheInvalidationBus bus, TimeProvider time, ILogger<ApiKeyStore> logger)
    {
        _scopeFactory = scopeFactory;
        _options = options;
        _bus = bus;
        _time = time;
        _logger = logger;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.CurrentValue.KeyCacheSize) });
        bus.Received += OnReceived;
        bus.Reconnected += _cache.Clear;
    }

    /// <summary>Entries held now, found and not found (for tests and diagnostics).</summary>
    public long Count => _cache.Count;

    public async Task<ApiKeyEntity?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        var hex = Convert.ToHexString(keyHash);
        _cache.TryGetValue(hex, out KnownKey? known);
        var now = _time.GetUtcNow();
        if (known is not null && known.FreshUntil > now)
        {
            return known.Key;
        }

        var options = _options.CurrentValue;
        ApiKeyEntity? key;
        try
        {
            key = await DatabaseDeadline.RunAsync(token => LookUpAsync(keyHash, token), options.KeyLookupTimeout, cancellationToken);
        }
        catch (DatabaseUnavailableException ex) when (known?.Key is not null)
        {
            LogServedFromMemory(_logger, known.Key.Prefix, ex.InnerException?.GetType().Name);
            return known.Key;
        }

        if (key is null && options.KeyCacheDuration <= TimeSpan.Zero)
        {
            // Nothing to remember: with no cache duration an absence is not worth an entry.
            return null;
        }
        var entry = new MemoryCacheEntryOptions { Size = 1 };
        if (key is null)
        {
            // Anyone can send random keys: their absence is remembered briefly, and evicted first.
            entry.AbsoluteExpirationRelativeToNow = options.KeyCacheDuration;
            entry.Priority = CacheItemPriority.Low;
        }
        else
        {
            entry.Priority = CacheItemPriority.High;
        }
        _cache.Set(hex, new KnownKey(key, now + options.KeyCacheDuration), entry);
        return key;
    }

    /// <summary>Drops a revoked key here and, through Redis pub/sub, on every other instance.</summary>
    public Task ForgetEverywhereAsync(byte[] keyHash)
    {
        var hex = Convert.ToHexString(keyHash);
        _cache.Remove(hex);
        return _bus.PublishAsync(RevokedMessage, hex);
    }

    public void Dispose()
    {
        _bus.Received -= OnReceived;
        _bus.Reconnected -= _cache.Clear;
        _cache.Dispose();
    }

    private async Task<ApiKeyEntity?> LookUpAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        return await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.KeyHash == keyHash && k.RevokedAt == null, cancellationToken);
    }

    private void OnReceived(string kind, string payload)
    {
        if (kind == RevokedMessage)
        {
            _cache.Remove(payload);
        }
    }

    /// <summary>A lookup's answer (null: no such key) and until when it is trusted without asking again.</summary>
    private sealed record KnownKey(ApiKeyEntity? Key, DateTimeOffset FreshUntil);

    [LoggerMessage(LogLevel.Warning, "The database could not confirm API key {Prefix}... ({Failure}); its last known entry is served.")]
    private static partial void LogServedFromMemory(ILogger logger, string prefix, string? failure);
}
