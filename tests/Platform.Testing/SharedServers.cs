namespace Platform.Testing;

/// <summary>
/// One Redis and one PostgreSQL per test process. When <c>./eng/test.sh</c> has started the
/// platform's instances it passes them in <c>PLATFORM_TEST_REDIS</c> / <c>PLATFORM_TEST_POSTGRES</c>;
/// otherwise private servers are started. Tests isolate themselves with a fresh database
/// (<see cref="CreateDatabaseAsync"/>) or a unique key prefix (<see cref="UniquePrefix"/>).
/// Tests that stop or kill a server start their own <see cref="RedisServer"/> / <see cref="PostgresServer"/>.
/// </summary>
public static class SharedServers
{
    private static readonly Lazy<Task<RedisServer>> PrivateRedis = new(() => RedisServer.LaunchAsync());
    private static readonly Lazy<Task<PostgresServer>> PrivatePostgres = new(PostgresServer.LaunchAsync);

    static SharedServers()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (PrivateRedis.IsValueCreated && PrivateRedis.Value.IsCompletedSuccessfully)
            {
                PrivateRedis.Value.Result.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            }
            if (PrivatePostgres.IsValueCreated && PrivatePostgres.Value.IsCompletedSuccessfully)
            {
                PrivatePostgres.Value.Result.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            }
        };
    }

    /// <summary>A Redis connection string in StackExchange.Redis form.</summary>
    public static async Task<string> GetRedisConnectionStringAsync() =>
        Environment.GetEnvironmentVariable("PLATFORM_TEST_REDIS") is { Length: > 0 } configured
            ? configured
            : (await PrivateRedis.Value).ConnectionString;

    /// <summary>Creates an empty database on the shared server and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        if (Environment.GetEnvironmentVariable("PLATFORM_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
            var name = "test_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new Npgsql.NpgsqlConnection(configured))
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await command.ExecuteNonQueryAsync();
            }
            builder.Database = name;
            return builder.ConnectionString;
        }
        return await (await PrivatePostgres.Value).CreateDatabaseAsync();
    }

    public static string UniquePrefix(string scope) => $"test:{scope}:{Guid.NewGuid():N}:";
}
