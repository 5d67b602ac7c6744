namespace Platform.Api.Auth;

/// <summary>Bound from the <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Bearer key for admin operations (cache invalidation, prices, keys, tool refresh). Empty disables them.</summary>
    public string? AdminKey { get; set; }

    /// <summary>When true every /v1 call needs a valid API key; when false callers without one act as tenant "anonymous".</summary>
    public bool RequireApiKey { get; set; }

    /// <summary>How long a looked-up key (or its absence) is trusted before PostgreSQL is asked again.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
