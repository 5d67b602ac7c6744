namespace Platform.Api.Routing;

public enum DeploymentState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}

/// <summary>
/// A circuit breaker for one deployment. It is the project's own rather than Polly's because routing needs
/// three things Polly's breaker does not give: the state is read when choosing a deployment, so an open
/// deployment is passed over instead of being called and throwing; a 429's <c>Retry-After</c> opens it at
/// once for exactly that long (Polly's breaker opens on a failure ratio, and its manual isolation has no
/// duration); and a stream's call counts as a success once its first token arrived, long before the call ends.
/// After the cool-down one request (the probe) is let through: its success closes the breaker, its failure
/// opens it again.
/// </summary>
public sealed class DeploymentHealth(TimeProvider time, int failuresBeforeCoolDown, TimeSpan coolDown, TimeSpan maxCoolDown)
{
    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset _openUntil;
    private bool _open;
    private bool _probing;

    public DeploymentState State
    {
        get
        {
            lock (_lock)
            {
                return !_open ? DeploymentState.Closed : time.GetUtcNow() < _openUntil ? DeploymentState.Open : DeploymentState.HalfOpen;
            }
        }
    }

    /// <summary>When the cool-down ends; <see cref="DateTimeOffset.MinValue"/> while closed.</summary>
    public DateTimeOffset CoolingUntil
    {
        get
        {
            lock (_lock)
            {
                return _open ? _openUntil : DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Whether a request could be sent now (closed, or half-open with no probe under way); claims nothing.</summary>
    public bool CanServe()
    {
        // Closed is the common case: no lock for it (a breaker opening at this instant lets one more call through).
        if (!Volatile.Read(ref _open))
        {
            return true;
        }
        lock (_lock)
        {
            return !_open || (!_probing && time.GetUtcNow() >= _openUntil);
        }
    }

    /// <summary>Claims the right to send: always when closed; when half-open, only for the one probe.</summary>
    public bool TryBegin(out bool probe)
    {
        if (!Volatile.Read(ref _open))
        {
            probe = false;
            return true;
        }
        lock (_lock)
        {
            probe = false;
            if (!_open)
            {
                return true;
            }
            if (_probing || time.GetUtcNow() < _openUntil)
            {
                return false;
            }
            _probing = probe = true;
            return true;
        }
    }

    /// <summary>The deployment answered (a stream: its first token came).</summary>
    public void Succeeded()
    {
        if (!Volatile.Read(ref _open) && Volatile.Read(ref _failures) == 0)
        {
            return;
        }
        lock (_lock)
        {
            _failures = 0;
            _open = _probing = false;
        }
    }

    /// <summary>
    /// The deployment failed in a way that says it is unwell. A Retry-After opens the breaker for that long at once;
    /// otherwise it opens after <c>failuresBeforeCoolDown</c> failures in a row, or when the probe failed.
    /// </summary>
    public void Failed(TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            _failures++;
            var now = time.GetUtcNow();
            if (retryAfter is { } wait && wait > TimeSpan.Zero)
            {
                Open(now + (wait < maxCoolDown ? wait : maxCoolDown));
            }
            else if (_probing || _failures >= failuresBeforeCoolDown)
            {
                Open(now + coolDown);
            }
        }
    }

    /// <summary>A probe that ended without a verdict (the caller cancelled): the next request may probe.</summary>
    public void Abandoned()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }

    private void Open(DateTimeOffset until)
    {
        _open = true;
        _probing = false;
        // A second failure while open (a call that was already under way) never shortens the cool-down.
        _openUntil = until > _openUntil ? until : _openUntil;
    }
}
