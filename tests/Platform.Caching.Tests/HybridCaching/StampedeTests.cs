namespace Platform.Caching.Tests.HybridCaching;

public sealed class StampedeTests : IAsyncLifetime
{
    private readonly CacheInstances _instances = new();
    private ClusteredHybridCache _cache = null!;

    public async Task InitializeAsync() => _cache = await _instances.CreateAsync();

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    [Fact]
    public async Task HundredConcurrentCallersShareOneFactoryCall()
    {
        var calls = 0;
        var release = new TaskCompletionSource();
        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await _cache.GetOrCreateAsync("stampede", async ct =>
        {
            Interlocked.Increment(ref calls);
            await release.Task.WaitAsync(ct);
            return "shared";
        }).AsTask())).ToArray();

        await Task.Delay(100);
        release.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("shared", r));
    }

    [Fact]
    public async Task SharedWorkSurvivesWhileOneCallerStillWaits()
    {
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var factoryCancelled = false;
        using var leaving = new CancellationTokenSource();
        async ValueTask<string> Factory(CancellationToken ct)
        {
            started.TrySetResult();
            try
            {
                await release.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                factoryCancelled = true;
                throw;
            }
            return "finished";
        }

        var leaver = _cache.GetOrCreateAsync("partial-cancel", Factory, cancellationToken: leaving.Token).AsTask();
        await started.Task;
        var stayer = _cache.GetOrCreateAsync("partial-cancel", Factory).AsTask();
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaver);
        release.SetResult();

        Assert.Equal("finished", await stayer);
        Assert.False(factoryCancelled);
    }

    [Fact]
    public async Task SharedWorkIsCancelledWhenEveryCallerCancels()
    {
        var started = new TaskCompletionSource();
        var factoryCancelled = new TaskCompletionSource();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        async ValueTask<string> Factory(CancellationToken ct)
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                factoryCancelled.TrySetResult();
                throw;
            }
            return "never";
        }

        var a = _cache.GetOrCreateAsync("all-cancel", Factory, cancellationToken: first.Token).AsTask();
        await started.Task;
        var b = _cache.GetOrCreateAsync("all-cancel", Factory, cancellationToken: second.Token).AsTask();
        first.Cancel();
        second.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        await factoryCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // A later caller starts afresh rather than joining the cancelled work.
        Assert.Equal("fresh", await _cache.GetOrCreateAsync("all-cancel", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task ExceptionsAreNotCached()
    {
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetOrCreateAsync<string>("throws", _ =>
        {
            calls++;
            throw new InvalidOperationException("upstream failed");
        }));

        var value = await _cache.GetOrCreateAsync("throws", _ => { calls++; return ValueTask.FromResult("recovered"); });

        Assert.Equal("recovered", value);
        Assert.Equal(2, calls);
    }
}
