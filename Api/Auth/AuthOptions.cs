namespace Platform.Api.Auth;

/// <summary>Bound from the <c>Auth</c> section; defaults in appsettings.json.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Bearer key for admin operations (cache invalidation, prices, keys, tool refresh). Empty disables them.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// When true every /v1 call needs a valid API key; when false callers without one act as tenant "anonymous".
    /// True unless configured otherwise: appsettings.Development.json turns it off for the local experience,
    /// every other environment (a deployment) must opt out explicitly.
    /// </summary>
    public bool RequireApiKey { get; set; } = true;

    /// <summary>How long a looked-up key (or its absence) is trusted before PostgreSQL is asked again.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keys held in memory, found and not found alike: the cache is keyed by what callers send, so it must be
    /// bounded. A key found once stays (as the last known good answer) until evicted, revoked or the instance
    /// may have missed a revocation; keys not found expire after <see cref="KeyCacheDuration"/>.
    /// </summary>
    public int KeyCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How long a request waits for PostgreSQL to look a key up. Past it (or when the database fails), a key
    /// seen before is served from memory and an unknown one gets 503 with Retry-After.
    /// </summary>
    public TimeSpan KeyLookupTimeout { get; set; } = TimeSpan.FromSeconds(1.5);
}
