using Npgsql;
using Platform.Usage;

namespace Platform.Worker.Usage;

/// <summary>Reads the <c>model_prices</c> table and seeds it from configuration.</summary>
public sealed class PriceStore(UsageDataSource database)
{
    /// <summary>Inserts configured prices that are not in the table yet (same provider, model and EffectiveFrom).</summary>
    public async Task SeedAsync(IEnumerable<ModelPriceOptions> prices, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        foreach (var price in prices)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO model_prices (provider, model, input_per_million, output_per_million, cached_input_per_million, effective_from)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (provider, model, effective_from) DO NOTHING
                """);
            command.Parameters.Add(new() { Value = price.Provider });
            command.Parameters.Add(new() { Value = price.Model });
            command.Parameters.Add(new() { Value = price.InputPerMillion });
            command.Parameters.Add(new() { Value = price.OutputPerMillion });
            command.Parameters.Add(new() { Value = (object?)price.CachedInputPerMillion ?? DBNull.Value });
            command.Parameters.Add(new() { Value = price.EffectiveFrom.ToUniversalTime() });
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<PriceTable> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT provider, model, input_per_million, output_per_million, cached_input_per_million, effective_from FROM model_prices");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var prices = new List<ModelPrice>();
        while (await reader.ReadAsync(cancellationToken))
        {
            prices.Add(new ModelPrice(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetDecimal(2),
                reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return new PriceTable(prices);
    }
}
