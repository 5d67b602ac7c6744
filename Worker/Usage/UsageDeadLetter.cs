using StackExchange.Redis;

namespace Platform.Worker.Usage;

/// <summary>A stream entry bound for the dead-letter stream, and why.</summary>
public readonly record struct UsageDeadLetter(StreamEntry Entry, string Reason, long Deliveries);
