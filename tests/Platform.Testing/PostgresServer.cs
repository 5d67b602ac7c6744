using Npgsql;

namespace Platform.Testing;

/// <summary>
/// A private PostgreSQL cluster on 127.0.0.1 (initdb in a temporary directory), which a test may
/// stop, crash and start again on the same port. As root it runs the server as the postgres user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _binDirectory;

    private PostgresServer(string directory, string binDirectory, int port)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Connection string in the form Aspire passes for a database resource.</summary>
    public string GetConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database={database}";

    public static async Task<PostgresServer> LaunchAsync()
    {
        var server = new PostgresServer(ServerProcess.CreateTempDirectory("platform-pg"), FindBinDirectory(), ServerProcess.GetFreePort());
        await server.InitializeAsync();
        var stop = $"{server._binDirectory}/pg_ctl -D {server.DataDirectory} stop -m immediate -w";
        ServerProcess.CleanUpWhenThisProcessEnds(
            $"{(Environment.IsPrivilegedProcess ? "runuser -u postgres -- " : "")}{stop}; rm -rf {server._directory}");
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        await PgCtl("start", "-w", "-t", "60", "-l", Path.Combine(_directory, "server.log"),
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
    }

    /// <summary>Stops the server the way a crash does (immediate mode: no checkpoint, connections cut).</summary>
    public Task CrashAsync() => PgCtl("stop", "-m", "immediate", "-w");

    public Task StopAsync() => PgCtl("stop", "-m", "fast", "-w");

    public async Task RestartAsync(TimeSpan? downtime = null)
    {
        await CrashAsync();
        if (downtime is { } delay)
        {
            await Task.Delay(delay);
        }
        await StartAsync();
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(GetConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return GetConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgCtl("stop", "-m", "immediate", "-w");
        }
        catch (InvalidOperationException)
        {
        }
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        if (Environment.IsPrivilegedProcess)
        {
            await Run("chown", ["-R", "postgres:postgres", _directory]);
        }
        await AsServer(Path.Combine(_binDirectory, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    }

    private Task PgCtl(params string[] arguments) =>
        AsServer(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, .. arguments]);

    // PostgreSQL refuses to run as root.
    private static Task AsServer(string executable, string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? Run("runuser", ["-u", "postgres", "--", executable, .. arguments])
            : Run(executable, arguments);

    private static async Task Run(string executable, string[] arguments)
    {
        var (exitCode, output) = await ServerProcess.RunAsync(executable, arguments, TimeSpan.FromSeconds(120));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', arguments)} failed ({exitCode}): {output}");
        }
    }

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return versions.Select(d => Path.Combine(d, "bin")).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries were not found under /usr/lib/postgresql. Run ./eng/services.sh install first.");
    }
}
