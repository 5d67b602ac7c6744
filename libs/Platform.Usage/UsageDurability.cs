namespace Platform.Usage;

/// <summary>When a response may end relative to its usage record (<c>Usage:Durability</c>).</summary>
public enum UsageDurability
{
    /// <summary>
    /// Once the record is in the in-process queue: fastest. A process killed with SIGKILL loses what was
    /// still queued (up to <see cref="UsageProducerOptions.FlushInterval"/> of records); SIGTERM drains it.
    /// </summary>
    Queued,

    /// <summary>
    /// Once the record is in the Redis stream (XADD answered) or in the fsync'ed journal: a SIGKILL of the
    /// Api loses nothing that was answered. Concurrent requests share one batch (group commit).
    /// </summary>
    Acknowledged,
}
