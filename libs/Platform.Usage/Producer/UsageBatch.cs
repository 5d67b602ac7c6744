namespace Platform.Usage.Producer;

/// <summary>A record in the producer's queue, with the task its caller awaits under <see cref="UsageDurability.Acknowledged"/>.</summary>
internal readonly record struct PendingRecord(UsageRecord Record, TaskCompletionSource? Acknowledged);

/// <summary>
/// Records sent (or journaled) together, and the callers waiting for them: they are released once the
/// whole batch is in the Redis stream or the journal, which is the group commit of acknowledged records.
/// </summary>
internal sealed class UsageBatch(int capacity)
{
    private List<TaskCompletionSource>? _waiters;

    public List<UsageRecord> Records { get; } = new(Math.Min(capacity, 4096));

    public bool IsFull => Records.Count >= capacity;

    public bool HasWaiters => _waiters is { Count: > 0 };

    public void Add(PendingRecord pending)
    {
        Records.Add(pending.Record);
        if (pending.Acknowledged is { } waiter)
        {
            (_waiters ??= []).Add(waiter);
        }
    }

    public void Acknowledge()
    {
        foreach (var waiter in _waiters ?? [])
        {
            waiter.TrySetResult();
        }
    }

    public void Fail(Exception error)
    {
        foreach (var waiter in _waiters ?? [])
        {
            waiter.TrySetException(error);
        }
    }
}
