namespace Platform.Caching.Tests.HybridCaching;

/// <summary>A cache factory that counts its calls and returns a fresh value each time.</summary>
public sealed class CountingFactory
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask<string> NextAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult("value-" + Interlocked.Increment(ref _calls));
}
