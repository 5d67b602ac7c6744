using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Caching;
using Platform.Data;
using Platform.Data.Entities;

namespace Platform.Api.Auth;

/// <summary>
/// Finds API keys by hash, with a short in-memory cache so that a request rarely touches PostgreSQL.
/// A revocation is published on the <see cref="CacheInvalidationBus"/>, so every instance drops the key
/// from its memory at once instead of trusting it until <see cref="AuthOptions.KeyCacheDuration"/> ends.
/// An instance that lost Redis for a while clears its whole memory cache when it reconnects (the bus
/// does that), so a revocation it missed cannot outlive the reconnect either.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private const string RevokedMessage = "apikey-revoked";

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IMemoryCache _cache;
    private readonly IOptionsMonitor<AuthOptions> _options;
    private readonly CacheInvalidationBus _bus;

    public ApiKeyStore(IServiceScopeFactory scopeFactory, IMemoryCache cache, IOptionsMonitor<AuthOptions> options, CacheInvalidationBus bus)
    {
        _scopeFactory = scopeFactory;
        _cache = cache;
        _options = options;
        _bus = bus;
        bus.Received += OnReceived;
    }

    public async Task<ApiKeyEntity?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(Convert.ToHexString(keyHash));
        if (_cache.TryGetValue(cacheKey, out ApiKeyEntity? known))
        {
            return known;
        }

        await using var scope = _scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var key = await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.KeyHash == keyHash && k.RevokedAt == null, cancellationToken);
        _cache.Set(cacheKey, key, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _options.CurrentValue.KeyCacheDuration, Size = 1 });
        return key;
    }

    /// <summary>Drops a revoked key here and, through Redis pub/sub, on every other instance.</summary>
    public Task ForgetEverywhereAsync(byte[] keyHash)
    {
        var hex = Convert.ToHexString(keyHash);
        _cache.Remove(CacheKey(hex));
        return _bus.PublishAsync(RevokedMessage, hex);
    }

    public void Dispose() => _bus.Received -= OnReceived;

    private void OnReceived(string kind, string payload)
    {
        if (kind == RevokedMessage)
        {
            _cache.Remove(CacheKey(payload));
        }
    }

    private static string CacheKey(string hexHash) => "apikey:" + hexHash;
}
