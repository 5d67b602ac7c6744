namespace Platform.Caching;

/// <summary>
/// One in-progress fetch of a key that concurrent callers share (stampede protection). The shared work
/// is cancelled only when every caller has cancelled; callers arriving after that start a new flight.
/// </summary>
internal sealed class CacheFlight<T>
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<CacheFlightResult<T>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _callers;
    private bool _abandoned;

    public CancellationToken Token => _cancellation.Token;

    public Task<CacheFlightResult<T>> Completion => _completion.Task;

    public bool TryJoin()
    {
        lock (_gate)
        {
            if (_abandoned || _completion.Task.IsCompleted)
            {
                return false;
            }
            _callers++;
            return true;
        }
    }

    public void Leave()
    {
        lock (_gate)
        {
            if (--_callers > 0 || _completion.Task.IsCompleted)
            {
                return;
            }
            _abandoned = true;
        }
        _cancellation.Cancel();
    }

    public async Task RunAsync(Func<CancellationToken, Task<CacheFlightResult<T>>> work)
    {
        try
        {
            _completion.TrySetResult(await work(_cancellation.Token));
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            _completion.TrySetCanceled(_cancellation.Token);
        }
        catch (Exception exception)
        {
            _completion.TrySetException(exception);
        }
    }
}
