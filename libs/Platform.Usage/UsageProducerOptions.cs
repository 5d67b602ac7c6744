namespace Platform.Usage;

/// <summary>Settings of the Api's usage producer, bound from the <c>Usage</c> section.</summary>
public sealed class UsageProducerOptions
{
    public const string SectionName = "Usage";

    public string StreamName { get; set; } = UsageStreamFormat.DefaultStreamName;

    /// <summary>When a response may end: once its record is queued, or once it is in Redis or the journal.</summary>
    public UsageDurability Durability { get; set; } = UsageDurability.Queued;

    /// <summary>Records held in memory before callers spill to the journal.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Most XADDs sent in one pipelined batch.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// Batches sent and not yet answered at a time: the next batch is drained and serialised while earlier
    /// ones are on the wire and in Redis. 1 sends strictly one after another.
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = 4;

    /// <summary>How long a partly filled batch waits for more records before it is sent.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Directory of the local journal. Relative paths are resolved against the current directory.</summary>
    public string JournalDirectory { get; set; } = "usage-journal";

    /// <summary>How often a journal with records is retried against Redis when no reconnect event came.</summary>
    public TimeSpan ReplayProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time the shutdown gives the queue to reach Redis; what is left goes to the journal.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
