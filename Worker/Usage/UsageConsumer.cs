using Microsoft.Extensions.Options;
using Platform.Usage;
using Platform.Worker.Migrations;
using StackExchange.Redis;

namespace Platform.Worker.Usage;

/// <summary>
/// The usage writer: reads the usage stream through a consumer group, writes each batch to
/// PostgreSQL in one idempotent transaction and acknowledges only after the commit. Entries left
/// pending by a dead consumer are claimed after <see cref="UsageWriterOptions.ClaimMinIdle"/>;
/// unreadable or too often delivered entries go to the dead-letter stream. Each loop reads and parses
/// its next batch while the current one is written (<see cref="UsageWriterOptions.ReadAhead"/>). On
/// shutdown the current batch and the one read ahead are abandoned unacknowledged (another consumer,
/// or this one after a restart, takes them over).
/// </summary>
public sealed partial class UsageConsumer(
    IConnectionMultiplexer redis,
    UsageBatchProcessor processor,
    UsageStreamMonitor monitor,
    DatabaseMigrator migrator,
    IOptions<UsageWriterOptions> options,
    ILogger<UsageConsumer> logger) : BackgroundService
{
    private readonly UsageWriterOptions _options = options.Value;

    /// <summary>
    /// Unique per process, so that replicas share the group and a restarted process never impersonates a
    /// dead one; each loop reads as <c>{ConsumerName}-{n}</c>.
    /// </summary>
    public string ConsumerName { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrator.Completion.WaitAsync(stoppingToken);
        await processor.InitializeAsync(stoppingToken);
        await EnsureGroupAsync(stoppingToken);
        LogStarted(logger, ConsumerName, _options.StreamName, _options.ConsumerGroup);

        // Several loops per process overlap one batch's Redis round trips with another's database write.
        var loops = Enumerable.Range(0, Math.Max(1, _options.ConsumersPerProcess))
            .Select(i => Task.Run(() => ConsumeAsync($"{ConsumerName}-{i}", stoppingToken), CancellationToken.None));
        await Task.WhenAll(loops);
        LogStopped(logger, ConsumerName);
    }

    private async Task ConsumeAsync(string consumer, CancellationToken stoppingToken)
    {
        var database = redis.GetDatabase();
        RedisValue claimCursor = "0-0";
        var nextClaim = DateTime.UtcNow;
        var failures = 0;
        Task<PreparedUsageBatch>? readAhead = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = false;
                if (DateTime.UtcNow >= nextClaim)
                {
                    var claimed = await database.StreamAutoClaimAsync(
                        _options.StreamName, _options.ConsumerGroup, consumer, (long)_options.ClaimMinIdle.TotalMilliseconds, claimCursor, _options.BatchSize)
                        .WaitAsync(stoppingToken);
                    claimCursor = claimed.NextStartId;
                    if (claimCursor == "0-0")
                    {
                        nextClaim = DateTime.UtcNow + _options.ClaimInterval;
                    }
                    // Entries deleted while pending come back as null entries (and in DeletedIds): nothing left to write.
                    var entries = claimed.ClaimedEntries.Where(static e => !e.IsNull).ToArray();
                    if (entries.Length > 0)
                    {
                        LogClaimed(logger, entries.Length);
                        await processor.ProcessAsync(entries, await DeliveryCountsAsync(consumer, entries, stoppingToken), stoppingToken);
                        handled = true;
                    }
                }
                if (!handled)
                {
                    var reading = readAhead ?? ReadAndPrepareAsync(consumer, stoppingToken);
                    readAhead = null; // taken: if it failed, the next round reads afresh
                    var batch = await reading;
                    if (batch.Entries.Count == 0)
                    {
                        // Nothing new: poll again shortly (see UsageWriterOptions.PollInterval).
                        await Task.Delay(_options.PollInterval, stoppingToken);
                    }
                    else
                    {
                        // The next batch is read and parsed while this one is written. Its entries stay pending
                        // until its own commit; if this consumer dies first, they are claimed like any other.
                        if (_options.ReadAhead)
                        {
                            readAhead = ReadAndPrepareAsync(consumer, stoppingToken);
                        }
                        await processor.CommitAsync(batch, stoppingToken);
                    }
                }
                await monitor.RefreshIfDueAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // Redis lost the stream (restarted without persistence): recreate it and carry on.
                LogGroupMissing(logger);
                await EnsureGroupAsync(stoppingToken);
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * Math.Pow(2, Math.Min(failures, 6))));
                LogLoopFailed(logger, delay, ex);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        if (readAhead is not null)
        {
            // Shutdown: a batch read ahead stays pending, unacknowledged, for another consumer or the next start.
            await ((Task)readAhead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<PreparedUsageBatch> ReadAndPrepareAsync(string consumer, CancellationToken stoppingToken)
    {
        var entries = await redis.GetDatabase()
            .StreamReadGroupAsync(_options.StreamName, _options.ConsumerGroup, consumer, StreamPosition.NewMessages, _options.BatchSize)
            .WaitAsync(stoppingToken);
        return entries.Length == 0 ? PreparedUsageBatch.Empty : await processor.PrepareAsync(entries, null, stoppingToken);
    }

    private async Task EnsureGroupAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await redis.GetDatabase().StreamCreateConsumerGroupAsync(_options.StreamName, _options.ConsumerGroup, "0", createStream: true).WaitAsync(stoppingToken);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                return; // another consumer created it first
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogGroupCreateFailed(logger, delay, ex);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, long>> DeliveryCountsAsync(string consumer, IReadOnlyList<StreamEntry> entries, CancellationToken stoppingToken)
    {
        var pending = await redis.GetDatabase()
            .StreamPendingMessagesAsync(_options.StreamName, _options.ConsumerGroup, entries.Count + 16, consumer, entries[0].Id, entries[^1].Id)
            .WaitAsync(stoppingToken);
        return pending.ToDictionary(p => p.MessageId.ToString(), p => (long)p.DeliveryCount);
    }

    [LoggerMessage(LogLevel.Information, "Usage consumer {Consumer} reading {Stream} in group {Group}.")]
    private static partial void LogStarted(ILogger logger, string consumer, string stream, string group);

    [LoggerMessage(LogLevel.Information, "Claimed {Count} usage entries left pending by another consumer.")]
    private static partial void LogClaimed(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "The usage consumer group is missing; recreating it.")]
    private static partial void LogGroupMissing(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Creating the usage consumer group failed; retrying in {Delay}.")]
    private static partial void LogGroupCreateFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Usage consumer loop failed; retrying in {Delay}. Unacknowledged entries stay pending.")]
    private static partial void LogLoopFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(LogLevel.Information, "Usage consumer {Consumer} stopped.")]
    private static partial void LogStopped(ILogger logger, string consumer);
}
