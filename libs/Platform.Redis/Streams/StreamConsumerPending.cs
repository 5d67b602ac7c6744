namespace Platform.Redis;

public sealed record StreamConsumerPending(string Name, long PendingCount);
