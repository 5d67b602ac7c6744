using System.Collections.Concurrent;

namespace Platform.Caching;

/// <summary>
/// The latest invalidation time (UTC ticks) of each tag this instance knows of, learnt from its own
/// RemoveByTagAsync calls, from other instances over pub/sub and from Redis when reading L2 entries.
/// "*" invalidates everything created before it.
/// </summary>
internal sealed class TagInvalidations
{
    public const string All = "*";

    private readonly ConcurrentDictionary<string, long> _invalidatedAt = new(StringComparer.Ordinal);

    public void Record(string tag, long ticks) =>
        _invalidatedAt.AddOrUpdate(tag, static (_, added) => added, static (_, existing, added) => Math.Max(existing, added), ticks);

    public bool IsCurrent(long createdTicks, string[] tags)
    {
        if (_invalidatedAt.IsEmpty)
        {
            return true;
        }
        if (_invalidatedAt.TryGetValue(All, out var all) && createdTicks <= all)
        {
            return false;
        }
        foreach (var tag in tags)
        {
            if (_invalidatedAt.TryGetValue(tag, out var at) && createdTicks <= at)
            {
                return false;
            }
        }
        return true;
    }
}
