namespace Platform.Caching;

/// <summary>Values of the <c>cache.level</c> metric tag.</summary>
public static class CacheLevel
{
    public const string Local = "l1";
    public const string Distributed = "l2";
}
