using System.Buffers;
using System.Diagnostics;

namespace Platform.Redis.Protocol;

/// <summary>
/// One command waiting for its reply. It stays in the connection's FIFO until its reply is read even
/// when the caller gave up (cancelled or timed out), so later replies still reach the right callers.
/// </summary>
internal abstract class RedisRequest(string command, RedisArg[] args) : RedisWriteItem
{
    public string Command { get; } = command;

    /// <summary>Stopwatch timestamp after which the caller gets a timeout; long.MaxValue for none.</summary>
    public long Deadline { get; set; } = long.MaxValue;

    public long StartTimestamp { get; set; }

    public Activity? Activity { get; set; }

    public abstract Task Completion { get; }

    public bool IsCompleted => Completion.IsCompleted;

    public override void WriteTo(IBufferWriter<byte> writer) => RespWriter.WriteCommand(writer, Command, args);

    public abstract void Complete(RedisReply reply);

    public abstract void Fail(Exception error);
}

internal sealed class RedisRequest<T>(string command, RedisArg[] args, Func<RedisReply, T> project) : RedisRequest(command, args)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _cancellation;

    public Task<T> Task => _completion.Task;

    public override Task Completion => _completion.Task;

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((RedisRequest<T>)state!).Cancel(token), this);
        }
    }

    public override void Complete(RedisReply reply)
    {
        if (reply.IsError)
        {
            Fail(new RedisServerException(reply.AsString()!));
            return;
        }
        T value;
        try
        {
            value = project(reply);
        }
        catch (Exception error)
        {
            Fail(error);
            return;
        }
        if (_completion.TrySetResult(value))
        {
            Finish(null);
        }
    }

    public override void Fail(Exception error)
    {
        if (_completion.TrySetException(error))
        {
            Finish(error);
        }
    }

    private void Cancel(CancellationToken token)
    {
        if (_completion.TrySetCanceled(token))
        {
            Finish(new OperationCanceledException(token));
        }
    }

    private void Finish(Exception? error)
    {
        _cancellation.Unregister();
        Telemetry.RedisTelemetry.RecordCommand(Command, StartTimestamp, error);
        Telemetry.RedisTelemetry.StopCommand(Activity, error);
    }
}
