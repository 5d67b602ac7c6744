namespace Platform.Api.Infrastructure;

/// <summary>
/// Bound from the <c>Database</c> section. The Api reads PostgreSQL on request paths only (keys, usage,
/// prices), so it does not retry: Aspire's retrying execution strategy is off
/// (<c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableRetry</c>), because its back-off kept a
/// request waiting close to a minute before it failed anyway.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// How long a request waits for a usage query or a price update before it is answered 503 with
    /// Retry-After (API key lookups have their own, <c>Auth:KeyLookupTimeout</c>).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1.5);
}
