namespace Platform.Benchmarks.Usage;

/// <summary>This process's allocations, collections and pause time so far; subtract two to get a pass's share.</summary>
internal readonly record struct GcSample(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Pause, long AllocatedPerRecord = 0)
{
    public static GcSample Read() =>
        new(GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static GcSample operator -(GcSample after, GcSample before) =>
        new(after.AllocatedBytes - before.AllocatedBytes, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Pause - before.Pause);
}
