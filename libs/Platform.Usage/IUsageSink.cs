namespace Platform.Usage;

/// <summary>Where the Api hands usage records. Never blocks on the database.</summary>
public interface IUsageSink
{
    /// <summary>Hands the record over without waiting for anything.</summary>
    void Record(UsageRecord record);

    /// <summary>
    /// Hands the record over and completes when it is as durable as <see cref="UsageProducerOptions.Durability"/>
    /// asks: at once for <see cref="UsageDurability.Queued"/>; once it is in the Redis stream or the fsync'ed
    /// journal for <see cref="UsageDurability.Acknowledged"/>.
    /// </summary>
    ValueTask RecordAsync(UsageRecord record)
    {
        Record(record);
        return ValueTask.CompletedTask;
    }
}
