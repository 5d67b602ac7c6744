using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>A record read from the stream with the cost the Worker computed for it.</summary>
public readonly record struct PricedUsageRecord(UsageRecord Record, decimal? Cost);
