namespace Platform.McpHost.Tests.Infrastructure;

/// <summary>The system clock plus an offset tests can add to; timers still fire in real time.</summary>
public sealed class ShiftableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    private TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override long GetTimestamp() => System.GetTimestamp() + (long)(Offset.Ticks * (TimestampFrequency / (double)TimeSpan.TicksPerSecond));
}
