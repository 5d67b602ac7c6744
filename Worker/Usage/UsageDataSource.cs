using Npgsql;

namespace Platform.Worker.Usage;

/// <summary>
/// The usage writer's own Npgsql data source on <c>ConnectionStrings:platformdb</c>: bulk writes go
/// through Npgsql directly (binary COPY), not through EF Core.
/// </summary>
public sealed class UsageDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource => dataSource;

    public static UsageDataSource Create(string connectionString) => new(NpgsqlDataSource.Create(connectionString));

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
