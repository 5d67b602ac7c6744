using System.Data.Common;

namespace Platform.Api.Infrastructure;

/// <summary>
/// Database work on a request's path. A request must not wait a minute for a database that is down
/// (EF Core's retries and Npgsql's timeouts add up to that): the work gets a deadline, and a database
/// that fails or misses it becomes <see cref="DatabaseUnavailableException"/>, answered 503 with Retry-After.
/// </summary>
public static class DatabaseDeadline
{
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Task<T>? work = null;
        try
        {
            work = operation(deadline.Token);
            // The token asks the work to stop, but not every step honours it (Npgsql's start-up handshake with a
            // server that accepted the connection and never answers does not): the request stops waiting anyway.
            return await work.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException) when (work is { IsCompleted: false })
        {
            // Left to end by itself (Npgsql's own timeouts); its failure is expected and must not go unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new DatabaseUnavailableException(new TimeoutException($"The database did not answer within {timeout.TotalSeconds:0.###} s."));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsDatabaseFailure(ex))
        {
            throw new DatabaseUnavailableException(ex);
        }
    }

    public static Task RunAsync(Func<CancellationToken, Task> operation, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(async token => { await operation(token); return true; }, timeout, cancellationToken);

    /// <summary>The deadline passed, the server could not be reached or failed: nothing the caller did wrong.</summary>
    public static bool IsDatabaseFailure(Exception exception) => exception switch
    {
        OperationCanceledException or TimeoutException or DatabaseUnavailableException => true,
        // Npgsql marks what a retry could fix as transient (no connection, a broken one, a server shutting down);
        // an error in the statement itself is a bug of ours and stays a 500.
        DbException { IsTransient: true } => true,
        // EF Core wraps what it could not run (a retry strategy giving up, a broken connection) in these.
        InvalidOperationException { InnerException: { } inner } => IsDatabaseFailure(inner),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: { } inner } => IsDatabaseFailure(inner),
        _ => false,
    };
}

/// <summary>The database did not answer a request in time, or failed; the caller may retry.</summary>
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The gateway's database is unavailable.", inner);
