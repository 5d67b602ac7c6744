using Npgsql;
using Platform.Data;

namespace Platform.Usage.Tests.Infrastructure;

/// <summary>Direct SQL on the usage tables: what the tests count is what users would query.</summary>
public static class UsageDatabase
{
    public static async Task<string> CreateMigratedAsync(Func<Task<string>>? create = null)
    {
        var connectionString = await (create ?? SharedServers.CreateDatabaseAsync)();
        await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
        await PlatformDatabase.MigrateAsync(db);
        return connectionString;
    }

    public static async Task<HashSet<Guid>> ReadIdsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM usage_records", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    public static async Task<long> CountAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM usage_records", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException)
        {
            return -1; // server restarting or schema not there yet
        }
    }

    /// <summary>Waits until at least <paramref name="expected"/> rows are stored; returns the last count seen.</summary>
    public static async Task<long> WaitForCountAsync(string connectionString, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long count;
        while ((count = await CountAsync(connectionString)) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        return count;
    }

    /// <summary>Every produced record is stored exactly once (the primary key rules out more than once).</summary>
    public static async Task AssertExactlyOnceAsync(string connectionString, IEnumerable<Guid> produced)
    {
        var expected = produced.ToHashSet();
        var stored = await ReadIdsAsync(connectionString);
        var missing = expected.Except(stored).Count();
        var unexpected = stored.Except(expected).Count();
        Assert.True(missing == 0 && unexpected == 0,
            $"{expected.Count} produced, {stored.Count} stored: {missing} missing, {unexpected} not produced by this test.");
    }
}
