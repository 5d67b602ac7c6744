using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>Settings of the usage writer, bound from the <c>Usage</c> section.</summary>
public sealed class UsageWriterOptions
{
    public const string SectionName = "Usage";

    public string StreamName { get; set; } = UsageStreamFormat.DefaultStreamName;
    public string DeadLetterStreamName { get; set; } = UsageStreamFormat.DefaultDeadLetterStreamName;
    public string ConsumerGroup { get; set; } = UsageStreamFormat.DefaultConsumerGroup;

    /// <summary>Entries read, written in one transaction and acknowledged together.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Consumer loops in this process (each a consumer of the group).</summary>
    public int ConsumersPerProcess { get; set; } = 2;

    /// <summary>
    /// Each consumer loop reads and parses its next batch while the current one is written to PostgreSQL.
    /// Entries are acknowledged only after their own batch's commit either way.
    /// </summary>
    public bool ReadAhead { get; set; } = true;

    /// <summary>
    /// How long a consumer loop that found the stream empty waits before reading again. The shared
    /// multiplexed connection never sends a blocking XREADGROUP (it would hold up every other command),
    /// so an idle consumer polls; a busy one reads its next batch at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Entries pending this long with another consumer are taken over (their consumer is presumed dead).</summary>
    public TimeSpan ClaimMinIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the pending list is scanned for entries to take over.</summary>
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An entry delivered more often than this goes to the dead-letter stream.</summary>
    public int MaxDeliveries { get; set; } = 10;

    /// <summary>How often the price table is reloaded (the Api adds prices with PUT /v1/prices).</summary>
    public TimeSpan PriceRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Prices inserted at start-up when not present yet.</summary>
    public List<ModelPriceOptions> Prices { get; set; } = [];
}
