using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Usage;
using StackExchange.Redis;

namespace Platform.Worker.Usage;

/// <summary>
/// Turns one batch of stream entries into committed rows, then acknowledges them. Entries that
/// cannot be parsed, were delivered too often, or that PostgreSQL rejects as data go to the
/// dead-letter stream (then are acknowledged); transient database errors are retried in place, so a
/// database restart delays the batch but never dead-letters good records.
/// </summary>
public sealed partial class UsageBatchProcessor(
    IConnectionMultiplexer redis,
    UsageBatchWriter writer,
    PriceStore prices,
    UsageMetrics metrics,
    IOptions<UsageWriterOptions> options,
    ILogger<UsageBatchProcessor> logger)
{
    private readonly UsageWriterOptions _options = options.Value;
    private PriceTable _prices = PriceTable.Empty;
    private DateTime _pricesLoadedAt;

    public PriceTable Prices => _prices;

    /// <summary>Seeds the configured prices and loads the table, retrying while the database is unreachable.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await RetryTransientAsync(async ct =>
        {
            await prices.SeedAsync(_options.Prices, ct);
            await ReloadPricesAsync(ct);
        }, cancellationToken);
    }

    /// <param name="deliveryCounts">For claimed entries: how often each was delivered; null for first deliveries.</param>
    public async Task ProcessAsync(IReadOnlyList<StreamEntry> entries, IReadOnlyDictionary<string, long>? deliveryCounts, CancellationToken cancellationToken) =>
        await CommitAsync(await PrepareAsync(entries, deliveryCounts, cancellationToken), cancellationToken);

    /// <summary>
    /// Parses and prices a batch and sorts out what goes to the dead-letter stream. Writes nothing and
    /// acknowledges nothing, so it may run while an earlier batch is being committed.
    /// </summary>
    /// <param name="deliveryCounts">For claimed entries: how often each was delivered; null for first deliveries.</param>
    public async Task<PreparedUsageBatch> PrepareAsync(IReadOnlyList<StreamEntry> entries, IReadOnlyDictionary<string, long>? deliveryCounts, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _pricesLoadedAt > _options.PriceRefreshInterval)
        {
            await RetryTransientAsync(ReloadPricesAsync, cancellationToken);
        }

        return Prepare(entries, deliveryCounts, _prices);
    }

    private PreparedUsageBatch Prepare(IReadOnlyList<StreamEntry> entries, IReadOnlyDictionary<string, long>? deliveryCounts, PriceTable prices)
    {
        var batch = new PreparedUsageBatch(entries);
        foreach (var entry in entries)
        {
            var deliveries = deliveryCounts is not null && deliveryCounts.TryGetValue(entry.Id.ToString(), out var count) ? count : 1;
            if (deliveries > _options.MaxDeliveries)
            {
                batch.DeadLetters.Add(new UsageDeadLetter(entry, $"delivered {deliveries} times (limit {_options.MaxDeliveries})", deliveries));
                continue;
            }
            var json = entry[UsageStreamFormat.RecordField];
            if (json.IsNull)
            {
                batch.DeadLetters.Add(new UsageDeadLetter(entry, $"no '{UsageStreamFormat.RecordField}' field", deliveries));
                continue;
            }
            UsageRecord record;
            try
            {
                record = UsageRecordSerializer.Deserialize(((ReadOnlyMemory<byte>)json).Span);
            }
            catch (FormatException ex)
            {
                batch.DeadLetters.Add(new UsageDeadLetter(entry, $"unparseable: {ex.Message}", deliveries));
                continue;
            }
            var cost = prices.CostOf(record);
            if (cost is null)
            {
                metrics.UnknownPrice.Add(1);
            }
            batch.Records.Add(new PricedUsageRecord(record, cost));
            batch.RecordEntries.Add(entry);
        }
        return batch;
    }

    /// <summary>Writes the batch's rows in one transaction and its dead letters, and only then acknowledges all its entries.</summary>
    public async Task CommitAsync(PreparedUsageBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Entries.Count == 0)
        {
            return;
        }
        await WriteAsync(batch.Records, batch.RecordEntries, batch.DeadLetters, cancellationToken);
        await DeadLetterAsync(batch.DeadLetters, cancellationToken);
        await AcknowledgeAsync(batch.Entries, cancellationToken);
    }

    private async Task WriteAsync(List<PricedUsageRecord> records, List<StreamEntry> recordEntries, List<UsageDeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        try
        {
            var inserted = await RetryTransientAsync(ct => writer.WriteAsync(records, ct), cancellationToken);
            Count(records.Count, inserted);
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
            // One bad record fails the whole transaction: write them one by one to isolate it.
            LogBatchRejected(logger, records.Count, ex);
            for (var i = 0; i < records.Count; i++)
            {
                try
                {
                    var inserted = await RetryTransientAsync(ct => writer.WriteAsync([records[i]], ct), cancellationToken);
                    Count(1, inserted);
                }
                catch (PostgresException single) when (IsDataError(single))
                {
                    deadLetters.Add(new UsageDeadLetter(recordEntries[i], $"rejected by PostgreSQL: {single.SqlState} {single.MessageText}", 1));
                }
            }
        }
    }

    private void Count(int records, int inserted)
    {
        metrics.Written.Add(inserted);
        if (records > inserted)
        {
            metrics.DuplicatesSkipped.Add(records - inserted);
        }
    }

    private async Task DeadLetterAsync(List<UsageDeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }
        var batch = redis.GetDatabase().CreateBatch();
        var adds = new List<Task<RedisValue>>(deadLetters.Count);
        foreach (var dead in deadLetters)
        {
            var sourceId = dead.Entry.Id.ToString();
            LogDeadLettered(logger, sourceId, dead.Reason);
            NameValueEntry[] fields =
            [
                new(UsageStreamFormat.ReasonField, dead.Reason),
                new(UsageStreamFormat.SourceIdField, sourceId),
                new(UsageStreamFormat.DeliveriesField, dead.Deliveries),
                .. dead.Entry.Values,
            ];
            adds.Add(batch.StreamAddAsync(_options.DeadLetterStreamName, fields));
        }
        batch.Execute();
        await Task.WhenAll(adds).WaitAsync(cancellationToken);
        metrics.DeadLettered.Add(deadLetters.Count);
    }

    /// <summary>XACK then XDEL: acknowledged entries leave the stream so it stays small.</summary>
    private async Task AcknowledgeAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var ids = new RedisValue[entries.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = entries[i].Id;
        }
        // One batch, so XDEL follows XACK on the wire. Not cancellable: committed rows must be acknowledged even when shutdown began.
        var batch = redis.GetDatabase().CreateBatch();
        var ack = batch.StreamAcknowledgeAsync(_options.StreamName, _options.ConsumerGroup, ids);
        var del = batch.StreamDeleteAsync(_options.StreamName, ids);
        batch.Execute();
        await Task.WhenAll(ack, del);
    }

    private async Task ReloadPricesAsync(CancellationToken cancellationToken)
    {
        _prices = await prices.LoadAsync(cancellationToken);
        _pricesLoadedAt = DateTime.UtcNow;
    }

    private Task RetryTransientAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        RetryTransientAsync(async ct => { await action(ct); return 0; }, cancellationToken);

    private async Task<T> RetryTransientAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException and not PostgresException || ex is PostgresException pg && !IsDataError(pg) || ex is TimeoutException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("Shutdown while retrying a database write.", ex, cancellationToken);
                }
                LogDatabaseRetry(logger, delay, ex);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>Class 22 (data exception) and 23 (integrity violation): retrying the same rows cannot help.</summary>
    private static bool IsDataError(PostgresException ex) => ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Warning, "PostgreSQL rejected a batch of {Count} usage records; writing them one by one.")]
    private static partial void LogBatchRejected(ILogger logger, int count, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Usage entry {Id} moved to the dead-letter stream: {Reason}.")]
    private static partial void LogDeadLettered(ILogger logger, string id, string reason);

    [LoggerMessage(LogLevel.Warning, "Database unavailable; retrying in {Delay}.")]
    private static partial void LogDatabaseRetry(ILogger logger, TimeSpan delay, Exception exception);
}
