using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Redis;
using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>
/// Turns one batch of stream entries into committed rows, then acknowledges them. Entries that
/// cannot be parsed, were delivered too often, or that PostgreSQL rejects as data go to the
/// dead-letter stream (then are acknowledged); transient database errors are retried in place, so a
/// database restart delays the batch but never dead-letters good records.
/// </summary>
public sealed partial class UsageBatchProcessor(
    RedisConnection redis,
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
    public async Task ProcessAsync(IReadOnlyList<StreamEntry> entries, IReadOnlyDictionary<string, long>? deliveryCounts, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _pricesLoadedAt > _options.PriceRefreshInterval)
        {
            await RetryTransientAsync(ReloadPricesAsync, cancellationToken);
        }

        var records = new List<PricedUsageRecord>(entries.Count);
        var recordEntries = new List<StreamEntry>(entries.Count);
        var deadLetters = new List<DeadLetter>();
        foreach (var entry in entries)
        {
            var deliveries = deliveryCounts is not null && deliveryCounts.TryGetValue(entry.Id, out var count) ? count : 1;
            if (deliveries > _options.MaxDeliveries)
            {
                deadLetters.Add(new DeadLetter(entry, $"delivered {deliveries} times (limit {_options.MaxDeliveries})", deliveries));
                continue;
            }
            if (!entry.TryGetField(UsageStreamFormat.RecordField, out var json))
            {
                deadLetters.Add(new DeadLetter(entry, $"no '{UsageStreamFormat.RecordField}' field", deliveries));
                continue;
            }
            UsageRecord record;
            try
            {
                record = UsageRecordSerializer.Deserialize(json.Span);
            }
            catch (FormatException ex)
            {
                deadLetters.Add(new DeadLetter(entry, $"unparseable: {ex.Message}", deliveries));
                continue;
            }
            var cost = _prices.CostOf(record);
            if (cost is null)
            {
                metrics.UnknownPrice.Add(1);
            }
            records.Add(new PricedUsageRecord(record, cost));
            recordEntries.Add(entry);
        }

        await WriteAsync(records, recordEntries, deadLetters, cancellationToken);
        await DeadLetterAsync(deadLetters, cancellationToken);
        await AcknowledgeAsync(entries, cancellationToken);
    }

    private async Task WriteAsync(List<PricedUsageRecord> records, List<StreamEntry> recordEntries, List<DeadLetter> deadLetters, CancellationToken cancellationToken)
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
                    deadLetters.Add(new DeadLetter(recordEntries[i], $"rejected by PostgreSQL: {single.SqlState} {single.MessageText}", 1));
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

    private async Task DeadLetterAsync(List<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }
        var batch = redis.CreateBatch();
        var adds = new List<Task<string>>(deadLetters.Count);
        foreach (var dead in deadLetters)
        {
            LogDeadLettered(logger, dead.Entry.Id, dead.Reason);
            var fields = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>(dead.Entry.Fields.Count + 3)
            {
                new(UsageStreamFormat.ReasonField, System.Text.Encoding.UTF8.GetBytes(dead.Reason)),
                new(UsageStreamFormat.SourceIdField, System.Text.Encoding.UTF8.GetBytes(dead.Entry.Id)),
                new(UsageStreamFormat.DeliveriesField, System.Text.Encoding.UTF8.GetBytes(dead.Deliveries.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            };
            fields.AddRange(dead.Entry.Fields);
            adds.Add(batch.XAddAsync(_options.DeadLetterStreamName, fields));
        }
        await batch.ExecuteAsync(cancellationToken);
        await Task.WhenAll(adds);
        metrics.DeadLettered.Add(deadLetters.Count);
    }

    /// <summary>XACK then XDEL: acknowledged entries leave the stream so it stays small.</summary>
    private async Task AcknowledgeAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var ids = entries.Select(e => e.Id).ToArray();
        var batch = redis.CreateBatch();
        var ack = batch.XAckAsync(_options.StreamName, _options.ConsumerGroup, ids);
        var del = batch.XDelAsync(_options.StreamName, ids);
        await batch.ExecuteAsync(CancellationToken.None); // committed rows must be acknowledged even when shutdown began
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

    private readonly record struct DeadLetter(StreamEntry Entry, string Reason, long Deliveries);

    [LoggerMessage(LogLevel.Warning, "PostgreSQL rejected a batch of {Count} usage records; writing them one by one.")]
    private static partial void LogBatchRejected(ILogger logger, int count, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Usage entry {Id} moved to the dead-letter stream: {Reason}.")]
    private static partial void LogDeadLettered(ILogger logger, string id, string reason);

    [LoggerMessage(LogLevel.Warning, "Database unavailable; retrying in {Delay}.")]
    private static partial void LogDatabaseRetry(ILogger logger, TimeSpan delay, Exception exception);
}
