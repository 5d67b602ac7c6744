namespace Platform.Redis;

/// <summary>Reply of XPENDING without a range: how many entries are pending, and for whom.</summary>
public sealed record StreamPendingSummary(long Count, string? LowestId, string? HighestId, IReadOnlyList<StreamConsumerPending> Consumers);
