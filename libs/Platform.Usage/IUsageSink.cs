namespace Platform.Usage;

/// <summary>Where the Api hands usage records. Never blocks on Redis or the database.</summary>
public interface IUsageSink
{
    void Record(UsageRecord record);
}
