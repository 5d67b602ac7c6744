namespace Platform.Api.Tools.Sessions;

/// <summary>Counts since the pool started; <see cref="Open"/> is the number of sessions held now.</summary>
public readonly record struct McpPoolStatistics(long Created, long Reused, long Failed, long Closed, int Open, int InFlight);
