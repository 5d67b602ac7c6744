using Npgsql;
using NpgsqlTypes;
using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>
/// Writes a batch of records in ONE transaction, idempotent on the record id: binary COPY into a
/// temporary staging table, then <c>INSERT ... SELECT ... ON CONFLICT (id) DO NOTHING</c>. A record
/// already stored (a replay, a redelivery after a crash between commit and XACK) is skipped.
/// </summary>
public sealed class UsageBatchWriter(UsageDataSource database)
{
    private const string Columns =
        "id, request_id, api_key_id, tenant_id, provider, model, input_tokens, output_tokens, cached_tokens, reasoning_tokens, " +
        "cost, cache_hit, tokens_saved, latency_ms, time_to_first_token_ms, tool_calls, status, streaming, created_at, estimated, deployment";

    /// <summary>Stores the records and returns how many were new.</summary>
    public async Task<int> WriteAsync(IReadOnlyList<PricedUsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var create = new NpgsqlCommand(
            // Acknowledgement follows the commit, so the commit must be durable whatever the server default is.
            "SET LOCAL synchronous_commit TO on; CREATE TEMP TABLE IF NOT EXISTS usage_staging (LIKE usage_records) ON COMMIT DELETE ROWS", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync($"COPY usage_staging ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            // Synchronous column writes only fill Npgsql's buffer; it is flushed as the buffer fills and at Complete.
            foreach (var priced in records)
            {
                WriteRow(importer, priced);
            }
            await importer.CompleteAsync(cancellationToken);
        }

        int inserted;
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO usage_records ({Columns}) SELECT {Columns} FROM usage_staging ON CONFLICT (id) DO NOTHING", connection, transaction))
        {
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    private static void WriteRow(NpgsqlBinaryImporter importer, PricedUsageRecord priced)
    {
        var r = priced.Record;
        importer.StartRow();
        importer.Write(r.Id, NpgsqlDbType.Uuid);
        importer.Write(r.RequestId, NpgsqlDbType.Text);
        WriteNullable(importer, r.ApiKeyId, NpgsqlDbType.Text);
        importer.Write(r.TenantId, NpgsqlDbType.Text);
        importer.Write(r.Provider, NpgsqlDbType.Text);
        importer.Write(r.Model, NpgsqlDbType.Text);
        importer.Write(r.InputTokens, NpgsqlDbType.Integer);
        importer.Write(r.OutputTokens, NpgsqlDbType.Integer);
        importer.Write(r.CachedTokens, NpgsqlDbType.Integer);
        importer.Write(r.ReasoningTokens, NpgsqlDbType.Integer);
        WriteNullable(importer, priced.Cost, NpgsqlDbType.Numeric);
        importer.Write(r.CacheHit, NpgsqlDbType.Boolean);
        importer.Write(r.TokensSaved, NpgsqlDbType.Integer);
        importer.Write(r.LatencyMs, NpgsqlDbType.Double);
        WriteNullable(importer, r.TimeToFirstTokenMs, NpgsqlDbType.Double);
        importer.Write(r.ToolCalls, NpgsqlDbType.Integer);
        importer.Write(r.Status, NpgsqlDbType.Text);
        importer.Write(r.Streaming, NpgsqlDbType.Boolean);
        importer.Write(r.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        importer.Write(r.Estimated, NpgsqlDbType.Boolean);
        WriteNullable(importer, r.Deployment, NpgsqlDbType.Text);
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } present)
        {
            importer.Write(present, type);
        }
        else
        {
            importer.WriteNull();
        }
    }
}
