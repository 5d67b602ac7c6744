namespace Platform.Caching;

/// <summary>
/// Marks the current async flow as applying an invalidation another instance already made in Redis:
/// <see cref="MeteredDistributedCache"/> then leaves Redis alone, so HybridCache's own
/// RemoveAsync/RemoveByTagAsync only clear this instance's memory.
/// </summary>
internal static class LocalInvalidation
{
    private static readonly AsyncLocal<bool> Applying = new();

    public static bool IsApplying => Applying.Value;

    public static Scope Begin()
    {
        Applying.Value = true;
        return default;
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => Applying.Value = false;
    }
}
