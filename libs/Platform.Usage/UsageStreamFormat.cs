namespace Platform.Usage;

/// <summary>Names shared by the Api's producer and the Worker's consumer.</summary>
public static class UsageStreamFormat
{
    public const string DefaultStreamName = "platform:usage";
    public const string DefaultDeadLetterStreamName = "platform:usage:dead";
    public const string DefaultConsumerGroup = "usage-writer";

    /// <summary>The stream entry field holding the record's JSON.</summary>
    public const string RecordField = "record";

    /// <summary>Dead-letter entry fields.</summary>
    public const string ReasonField = "reason";
    public const string SourceIdField = "source-id";
    public const string DeliveriesField = "deliveries";
}
