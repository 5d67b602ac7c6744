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

    /// <summary>Takes the next reply off the wire; true when this request needs no more (then it leaves the FIFO).</summary>
    public virtual bool Accept(RedisReply reply)
    {
        Complete(reply);
        return true;
    }

    /// <summary>
    /// Takes the next reply as bytes, already known to be whole (see <see cref="RespReplyScanner"/>), and
    /// leaves <paramref name="reader"/> after it. Requests whose replies are large and always of one shape
    /// override this to build their result without a <see cref="RedisReply"/> per element; the default
    /// parses the generic way. True when this request needs no more replies.
    /// </summary>
    public virtual bool Accept(ref SequenceReader<byte> reader) => Accept(ReadGeneric(ref reader));

    protected static RedisReply ReadGeneric(ref SequenceReader<byte> reader) =>
        RespParser.TryRead(ref reader, out var reply) ? reply : throw new RedisException("Protocol error: a reply seen as complete could not be read.");

    public abstract void Fail(Exception error);
}

/// <summary>Reads a whole reply of the expected shape straight from the wire; false (reader untouched) for any other shape.</summary>
internal delegate bool RespWireReader<T>(ref SequenceReader<byte> reader, out T value);

/// <param name="readWire">Optional: builds the result from the reply's bytes; replies it declines (errors, other shapes) go through <paramref name="project"/>.</param>
internal class RedisRequest<T>(string command, RedisArg[] args, Func<RedisReply, T> project, RespWireReader<T>? readWire = null) : RedisRequest(command, args)
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

    public override bool Accept(ref SequenceReader<byte> reader)
    {
        if (readWire is not null)
        {
            var start = reader;
            if (readWire(ref reader, out var value))
            {
                Succeed(value);
                return true;
            }
            reader = start;
        }
        return base.Accept(ref reader);
    }

    /// <summary>Completes with a result built straight from the wire (see <see cref="RedisRequest.Accept(ref SequenceReader{byte})"/>).</summary>
    protected void Succeed(T value)
    {
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

    /// <summary>How many commands this request put on the wire, for the command counter.</summary>
    protected virtual int CommandCount => 1;

    private void Finish(Exception? error)
    {
        _cancellation.Unregister();
        Telemetry.RedisTelemetry.RecordCommand(Command, StartTimestamp, error, CommandCount);
        Telemetry.RedisTelemetry.StopCommand(Activity, error);
    }
}
