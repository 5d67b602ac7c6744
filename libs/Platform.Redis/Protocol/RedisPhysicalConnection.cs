using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Platform.Redis.Protocol;

/// <summary>
/// One socket to Redis. Callers enqueue requests (a short lock keeps the FIFO and the wire in the same
/// order; no lock is held across I/O); one writer loop coalesces everything queued into one flush and
/// one reader loop completes requests in FIFO order as replies arrive.
/// </summary>
internal sealed class RedisPhysicalConnection : IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private const int ReadSegmentSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Channel<RedisWriteItem> _writes = Channel.CreateUnbounded<RedisWriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<RedisRequest> _pending = new();
    private readonly Lock _submitLock = new();
    private readonly RespReplyScanner _scanner = new();
    private readonly Action<RedisReply>? _pushHandler;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _isClosing;
    private Exception? _closeReason;
    private Task? _run;

    private RedisPhysicalConnection(Stream stream, (string Host, int Port) endPoint, Action<RedisReply>? pushHandler)
    {
        _stream = stream;
        EndPoint = endPoint;
        _pushHandler = pushHandler;
        // Segments of 64 KiB: a multi-megabyte XREADGROUP reply is buffered whole before it is parsed, and in
        // 16 KiB segments it needed more than the shared pool keeps (fresh arrays per reply) and 4x the reads.
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadSegmentSize, minimumReadSize: ReadSegmentSize / 4, leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public (string Host, int Port) EndPoint { get; }

    public bool IsOpen => !Volatile.Read(ref _isClosing);

    /// <summary>Completes once the connection is closed and every request still waiting has failed.</summary>
    public Task Closed => _closed.Task;

    public Exception? CloseReason => _closeReason;

    public static Task<RedisPhysicalConnection> ConnectAsync(RedisConnectionOptions options, Action<RedisReply>? pushHandler, CancellationToken cancellationToken) =>
        RedisConnector.ConnectAsync(options, (stream, endPoint) => new RedisPhysicalConnection(stream, endPoint, pushHandler), cancellationToken);

    internal void Start() => _run = RunAsync();

    public bool TrySubmit(RedisRequest request)
    {
        lock (_submitLock)
        {
            if (_isClosing)
            {
                return false;
            }
            _pending.Enqueue(request);
            _writes.Writer.TryWrite(request);
            return true;
        }
    }

    public bool TrySubmit(IReadOnlyList<RedisRequest> requests)
    {
        lock (_submitLock)
        {
            if (_isClosing)
            {
                return false;
            }
            foreach (var request in requests)
            {
                _pending.Enqueue(request);
            }
            _writes.Writer.TryWrite(new RedisRequestGroup(requests));
            return true;
        }
    }

    /// <summary>Fails requests whose deadline passed; their replies are still read and discarded later.</summary>
    public void FailExpired(long now, TimeSpan timeout)
    {
        if (!_pending.TryPeek(out var oldest) || oldest.Deadline > now)
        {
            return;
        }
        foreach (var request in _pending)
        {
            if (request.Deadline > now)
            {
                break;
            }
            if (!request.IsCompleted)
            {
                request.Fail(new RedisTimeoutException(
                    $"Redis did not reply to {request.Command} within {timeout.TotalMilliseconds:0} ms ({_pending.Count} commands waiting on {EndPoint.Host}:{EndPoint.Port})."));
            }
        }
    }

    public void Close(Exception reason)
    {
        lock (_submitLock)
        {
            if (_isClosing)
            {
                return;
            }
            _closeReason = reason;
            Volatile.Write(ref _isClosing, true);
            _writes.Writer.TryComplete();
        }
        _input.CancelPendingRead();
        _output.CancelPendingFlush();
        _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Close(new RedisConnectionException("The Redis connection was disposed."));
        if (_run is not null)
        {
            await _run;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var reading = ReadLoopAsync();
            var writing = WriteLoopAsync();
            await Task.WhenAny(reading, writing);
            Close(new RedisConnectionException("The Redis connection was closed."));
            await Task.WhenAll(reading, writing);
            await _input.CompleteAsync();
            // Completing the writer flushes what is still buffered into the stream Close disposed: that throws,
            // and must not keep Closed from completing, or the owner waits on it forever.
            await _output.CompleteAsync();
        }
        catch (Exception error) when (error is ObjectDisposedException or IOException)
        {
        }
        finally
        {
            // Every request ever submitted is in _pending, so this also fails those never written.
            var error = _closeReason as RedisConnectionException
                ?? new RedisConnectionException($"The connection to Redis at {EndPoint.Host}:{EndPoint.Port} was lost: {_closeReason?.Message}", _closeReason);
            while (_pending.TryDequeue(out var request))
            {
                request.Fail(error);
            }
            _closed.TrySetResult();
        }
    }

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        try
        {
            var reader = _writes.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    while (!item.WriteSome(_output, FlushThreshold))
                    {
                        if ((await _output.FlushAsync()).IsCanceled)
                        {
                            return;
                        }
                    }
                    if (_output.UnflushedBytes >= FlushThreshold && (await _output.FlushAsync()).IsCanceled)
                    {
                        return;
                    }
                }
                if ((await _output.FlushAsync()).IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception error)
        {
            Close(new RedisConnectionException($"Writing to Redis at {EndPoint.Host}:{EndPoint.Port} failed: {error.Message}", error));
        }
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync();
                if (result.IsCanceled)
                {
                    return;
                }
                var buffer = result.Buffer;
                var consumed = Dispatch(buffer);
                _input.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    Close(new RedisConnectionException($"Redis at {EndPoint.Host}:{EndPoint.Port} closed the connection."));
                    return;
                }
            }
        }
        catch (Exception error)
        {
            Close(new RedisConnectionException($"Reading from Redis at {EndPoint.Host}:{EndPoint.Port} failed: {error.Message}", error));
        }
    }

    private SequencePosition Dispatch(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        var consumed = buffer.Start;
        while (_scanner.IsComplete(buffer.Slice(consumed)))
        {
            if (_pushHandler is not null)
            {
                // Pub/sub: a reply may be a message rather than the answer to the oldest command.
                var reply = RespParser.TryRead(ref reader, out var read) ? read : throw new RedisException("Protocol error: a reply seen as complete could not be read.");
                if (IsPushMessage(reply))
                {
                    _pushHandler(reply);
                }
                else
                {
                    Accept(reply);
                }
            }
            else if (_pending.TryPeek(out var request))
            {
                // A request that expects several replies (a pipelined run of commands) stays first until its last one.
                if (request.Accept(ref reader))
                {
                    _pending.TryDequeue(out _);
                }
            }
            else
            {
                throw new RedisException("Protocol error: a reply arrived that no command was waiting for.");
            }
            consumed = reader.Position;
        }
        return consumed;
    }

    private void Accept(RedisReply reply)
    {
        if (!_pending.TryPeek(out var request))
        {
            throw new RedisException("Protocol error: a reply arrived that no command was waiting for.");
        }
        if (request.Accept(reply))
        {
            _pending.TryDequeue(out _);
        }
    }

    private static bool IsPushMessage(RedisReply reply) =>
        reply.Kind == RedisReplyKind.Array
        && reply.ElementArray is [{ Kind: RedisReplyKind.BulkString } kind, ..]
        && kind.AsBytes() is { } bytes
        && (bytes.AsSpan().SequenceEqual("message"u8) || bytes.AsSpan().SequenceEqual("pmessage"u8));
}
