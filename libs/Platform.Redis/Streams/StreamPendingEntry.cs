namespace Platform.Redis;

/// <summary>One entry of XPENDING's extended form.</summary>
public sealed record StreamPendingEntry(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);
