using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Data.Entities;

namespace Platform.Api.Auth;

/// <summary>Finds API keys by hash, with a short in-memory cache so that a request rarely touches PostgreSQL.</summary>
public sealed class ApiKeyStore(IServiceScopeFactory scopeFactory, IMemoryCache cache, IOptionsMonitor<AuthOptions> options)
{
    public async Task<ApiKeyEntity?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        var cacheKey = "apikey:" + Convert.ToHexString(keyHash);
        if (cache.TryGetValue(cacheKey, out ApiKeyEntity? known))
        {
            return known;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var key = await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.KeyHash == keyHash && k.RevokedAt == null, cancellationToken);
        cache.Set(cacheKey, key, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.CurrentValue.KeyCacheDuration, Size = 1 });
        return key;
    }

    public void Forget(byte[] keyHash) => cache.Remove("apikey:" + Convert.ToHexString(keyHash));
}
