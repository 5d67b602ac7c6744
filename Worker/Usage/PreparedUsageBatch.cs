using StackExchange.Redis;

namespace Platform.Worker.Usage;

/// <summary>
/// A batch read from the usage stream, parsed and priced but not written: the rows to store (with the
/// entries they came from, to isolate a row PostgreSQL rejects) and the entries bound for the
/// dead-letter stream. Every entry of <see cref="Entries"/> is acknowledged once the batch is committed.
/// </summary>
public sealed class PreparedUsageBatch(IReadOnlyList<StreamEntry> entries)
{
    public static PreparedUsageBatch Empty { get; } = new([]);

    public IReadOnlyList<StreamEntry> Entries { get; } = entries;

    public List<PricedUsageRecord> Records { get; } = new(entries.Count);

    /// <summary>The entry of each row in <see cref="Records"/>, at the same index.</summary>
    public List<StreamEntry> RecordEntries { get; } = new(entries.Count);

    public List<UsageDeadLetter> DeadLetters { get; } = [];
}
