using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Usage.Journal;
using StackExchange.Redis;

namespace Platform.Usage.Producer;

/// <summary>
/// Takes usage records from request threads without waiting on anything: a bounded channel feeds one
/// flusher that pipelines batches of XADDs to the usage stream, several batches in flight at a time
/// (<see cref="UsageProducerOptions.MaxBatchesInFlight"/>). Whatever Redis cannot take (down,
/// timing out, shutdown deadline passed) is appended to the fsync'ed <see cref="UsageJournal"/> and
/// replayed when Redis is back. Back-pressure: when the queue is full the caller appends its record
/// to the journal itself; that costs one fsync'ed write but never drops the record and never waits
/// for Redis. With <see cref="UsageDurability.Acknowledged"/>, <see cref="RecordAsync"/> completes only once
/// its record is in the stream or the journal; such records are sent at once rather than after
/// <see cref="UsageProducerOptions.FlushInterval"/>, and concurrent ones share a batch (group commit).
/// </summary>
public sealed partial class UsageProducer : IUsageSink, IHostedService, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly UsageProducerOptions _options;
    private readonly UsageMetrics _metrics;
    private readonly ILogger<UsageProducer> _logger;
    private readonly Channel<PendingRecord> _queue;
    private readonly UsageJournal _journal;
    private readonly UsageStreamSender _sender;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _drainDeadline = new();
    private volatile bool _replayRequested = true; // a previous run may have left a journal
    private Task _flusher = Task.CompletedTask;
    private Task? _stop;

    public UsageProducer(IConnectionMultiplexer redis, IOptions<UsageProducerOptions> options, UsageMetrics metrics, ILogger<UsageProducer> logger)
    {
        _redis = redis;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full, so the caller journals instead
            SingleReader = true,
        });
        _journal = new UsageJournal(_options.JournalDirectory);
        _sender = new UsageStreamSender(redis, _options.StreamName);
        metrics.ObserveGauge("platform.usage.queue.depth", "{record}", "Records waiting in the in-process queue.", () => _queue.Reader.Count);
    }

    public int QueueDepth => _queue.Reader.Count;

    public string JournalDirectory => _journal.DirectoryPath;

    public void Record(UsageRecord record)
    {
        if (_queue.Writer.TryWrite(new PendingRecord(record, null)))
        {
            _metrics.Queued.Add(1);
            return;
        }
        // Queue full or already draining for shutdown: the journal is the only place left that never loses it.
        Journal([record]);
    }

    public ValueTask RecordAsync(UsageRecord record)
    {
        if (_options.Durability == UsageDurability.Queued)
        {
            Record(record);
            return ValueTask.CompletedTask;
        }
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_queue.Writer.TryWrite(new PendingRecord(record, acknowledged)))
        {
            _metrics.Queued.Add(1);
            return new ValueTask(acknowledged.Task);
        }
        Journal([record]); // fsync'ed before it returns: as durable as a reply from Redis
        return ValueTask.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionRestored += OnConnectionRestored;
        _flusher = Task.Run(FlushLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Drains the queue (the rest to the journal). Idempotent: a host that stops twice gets the first stop's outcome.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _stop, stop.Task, null) is { } running)
        {
            return running;
        }
        _ = CompleteAsync(stop, StopOnceAsync(cancellationToken));
        return stop.Task;

        static async Task CompleteAsync(TaskCompletionSource stop, Task work)
        {
            try
            {
                await work.ConfigureAwait(false);
                stop.SetResult();
            }
            catch (Exception ex)
            {
                stop.SetException(ex);
            }
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _queue.Writer.TryComplete();
        _stopping.Cancel(); // a partly filled batch goes out now instead of waiting for its flush interval
        _drainDeadline.CancelAfter(_options.DrainTimeout);
        using (cancellationToken.Register(_drainDeadline.Cancel))
        {
            await _flusher.ConfigureAwait(false);
        }
        var rest = new UsageBatch(int.MaxValue);
        while (_queue.Reader.TryRead(out var pending))
        {
            rest.Add(pending);
        }
        JournalAndAcknowledge(rest);
        LogStopped(_logger, rest.Records.Count);
    }

    public void Dispose()
    {
        // Not stopped by its host (a host that disposes without stopping): hand the queue to the journal first.
        if (Interlocked.CompareExchange(ref _stop, Task.CompletedTask, null) is null)
        {
            _queue.Writer.TryComplete();
            var rest = new UsageBatch(int.MaxValue);
            while (_queue.Reader.TryRead(out var pending))
            {
                rest.Add(pending);
            }
            JournalAndAcknowledge(rest);
        }
        _journal.Dispose();
        _stopping.Dispose();
        _drainDeadline.Dispose();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            _replayRequested = true;
        }
    }

    private async Task FlushLoopAsync()
    {
        var token = _drainDeadline.Token;
        var batch = new UsageBatch(_options.BatchSize);
        var sends = new List<Task>(_options.MaxBatchesInFlight);
        var lastSend = Task.CompletedTask;
        var nextProbe = DateTime.UtcNow + _options.ReplayProbeInterval;
        try
        {
            while (await WaitForRecordsAsync(token).ConfigureAwait(false))
            {
                Drain(batch);
                // A caller waiting for its record's acknowledgement is not kept waiting for more records.
                if (batch.Records.Count is > 0 && batch.Records.Count < _options.BatchSize && !batch.HasWaiters && !_queue.Reader.Completion.IsCompleted)
                {
                    await Task.Delay(_options.FlushInterval, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    Drain(batch);
                }
                if (batch.Records.Count > 0)
                {
                    await WaitForSendSlotAsync(sends).ConfigureAwait(false);
                    // The next batch is drained and serialised while this one is on the wire.
                    lastSend = SendOrJournalAsync(batch, lastSend, token);
                    sends.Add(lastSend);
                    batch = new UsageBatch(_options.BatchSize);
                }
                if (_replayRequested || DateTime.UtcNow >= nextProbe)
                {
                    nextProbe = DateTime.UtcNow + _options.ReplayProbeInterval;
                    if (_journal.HasSegments)
                    {
                        await Task.WhenAll(sends).ConfigureAwait(false); // batches failing now reach the journal before it is sealed
                    }
                    await ReplayAsync(token).ConfigureAwait(false);
                }
            }
            await Task.WhenAll(sends).ConfigureAwait(false);
            // Queue completed and drained: a last replay attempt leaves nothing behind while Redis is up.
            await ReplayAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            JournalAndAcknowledge(batch); // the drain deadline passed mid-send: some may already be in Redis, the Worker dedups
        }
        catch (Exception ex)
        {
            LogFlusherFailed(_logger, ex);
            JournalAndAcknowledge(batch);
        }
        finally
        {
            // Sends still in flight journal their own batches if they fail; the queue's rest is journaled after this.
            await Task.WhenAll(sends).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WaitForSendSlotAsync(List<Task> sends)
    {
        sends.RemoveAll(static send => send.IsCompleted);
        while (sends.Count >= Math.Max(1, _options.MaxBatchesInFlight))
        {
            // Sends never wait forever: each has the command timeout and the drain deadline.
            await Task.WhenAny(sends).ConfigureAwait(false);
            sends.RemoveAll(static send => send.IsCompleted);
        }
    }

    /// <summary>True when records are readable; also wakes up at the probe interval so the journal gets replayed.</summary>
    private async Task<bool> WaitForRecordsAsync(CancellationToken token)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(token);
        probe.CancelAfter(_options.ReplayProbeInterval);
        try
        {
            return await _queue.Reader.WaitToReadAsync(probe.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return true;
        }
    }

    private void Drain(UsageBatch batch)
    {
        while (!batch.IsFull && _queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    /// <summary>
    /// Sends one batch; whatever fails lands in the journal, never in an exception. A failed batch waits for
    /// the batch sent before it to settle, so batches reach the journal in the order they left the queue.
    /// </summary>
    private async Task SendOrJournalAsync(UsageBatch batch, Task previousSend, CancellationToken token)
    {
        if (_redis.IsConnected)
        {
            try
            {
                await _sender.SendAsync(batch.Records, token).ConfigureAwait(false);
                _metrics.Sent.Add(batch.Records.Count);
                batch.Acknowledge();
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The drain deadline passed mid-send: some may already be in Redis, the Worker dedups.
            }
            catch (Exception ex)
            {
                LogSendFailed(_logger, batch.Records.Count, ex);
            }
        }
        await previousSend.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        JournalAndAcknowledge(batch);
    }

    private async Task ReplayAsync(CancellationToken token)
    {
        _replayRequested = false;
        if (!_redis.IsConnected || !_journal.HasSegments)
        {
            return;
        }
        foreach (var path in _journal.Seal())
        {
            if (_journal.TryRead(path) is not { } segment)
            {
                continue; // another producer sharing the directory still writes it: its records are for its own Redis
            }
            if (segment.CorruptLines > 0)
            {
                _metrics.JournalCorruptLines.Add(segment.CorruptLines);
                LogCorruptLines(_logger, segment.CorruptLines, path);
            }
            try
            {
                foreach (var chunk in segment.Records.Chunk(_options.BatchSize))
                {
                    await _sender.SendAsync(chunk, token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogReplayFailed(_logger, path, ex);
                return; // the segment stays; the next reconnect or probe replays it whole
            }
            _journal.Delete(path);
            _metrics.Replayed.Add(segment.Records.Count);
            _metrics.Sent.Add(segment.Records.Count);
            LogReplayed(_logger, segment.Records.Count, path);
        }
    }

    private void JournalAndAcknowledge(UsageBatch batch)
    {
        try
        {
            Journal(batch.Records);
        }
        catch (Exception ex)
        {
            batch.Fail(ex);
            throw;
        }
        batch.Acknowledge();
    }

    private void Journal(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        _journal.Append(records);
        _metrics.Journaled.Add(records.Count);
    }

    [LoggerMessage(LogLevel.Warning, "Sending {Count} usage records to Redis failed; they were journaled.")]
    private static partial void LogSendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Replaying journal segment {Path} failed; it will be retried.")]
    private static partial void LogReplayFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(LogLevel.Information, "Replayed {Count} journaled usage records from {Path}.")]
    private static partial void LogReplayed(ILogger logger, int count, string path);

    [LoggerMessage(LogLevel.Warning, "Skipped {Count} torn or corrupt lines in journal segment {Path}.")]
    private static partial void LogCorruptLines(ILogger logger, int count, string path);

    [LoggerMessage(LogLevel.Error, "The usage flusher failed; queued records go to the journal.")]
    private static partial void LogFlusherFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Usage producer stopped; {Count} records left in the queue were journaled.")]
    private static partial void LogStopped(ILogger logger, int count);
}
