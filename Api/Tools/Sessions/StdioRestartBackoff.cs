namespace Platform.Api.Tools.Sessions;

/// <summary>
/// When a stdio server may be started again. A process that exits soon after it started (a crash loop, a
/// missing dependency) waits <see cref="McpServerOptions.RestartDelay"/>, doubled for each further quick exit up
/// to <see cref="McpServerOptions.MaxRestartDelay"/>; one that ran for a while starts again after the first delay.
/// Until then, opening a session fails at once rather than waiting, so a crashing server never holds up the
/// catalog or a caller; the pool starts it again on the next use after the delay.
/// </summary>
internal sealed class StdioRestartBackoff(TimeProvider time)
{
    /// <summary>A process that lived this long was healthy: its exit does not count towards the backoff.</summary>
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private int _quickExits;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    /// <summary>How long until a start is allowed; zero when it is allowed now.</summary>
    public TimeSpan Remaining
    {
        get
        {
            lock (_lock)
            {
                var remaining = _notBefore - time.GetUtcNow();
                return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
            }
        }
    }

    /// <summary>The process started at <paramref name="startedAt"/> exited (or never got to answer initialize).</summary>
    public void Exited(DateTimeOffset startedAt, McpServerOptions server)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _quickExits = now - startedAt >= StableRun ? 1 : _quickExits + 1;
            var delay = server.RestartDelay * Math.Pow(2, Math.Min(_quickExits - 1, 16));
            _notBefore = now + (delay < server.MaxRestartDelay ? delay : server.MaxRestartDelay);
        }
    }
}
