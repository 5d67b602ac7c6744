using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Platform.Api.Tests.Errors;
using Platform.Api.Tests.Infrastructure;
using Platform.Data;
using Platform.Testing;

namespace Platform.Api.Tests.Auth;

/// <summary>The Api on a private PostgreSQL server that a test stops; keys required, every lookup goes to the database.</summary>
public sealed class PrivatePostgresApiFactory : ApiKeyFactory
{
    public PostgresServer Postgres { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
    [
        new("Auth:RequireApiKey", "true"),
        // A key is never fresh: each request asks PostgreSQL, so the outage path is the one taken.
        new("Auth:KeyCacheDuration", "00:00:00"),
        new("Auth:KeyLookupTimeout", "00:00:01"),
        new("Database:RequestTimeout", "00:00:01"),
    ];

    protected override async Task<string> PrepareDatabaseAsync()
    {
        Postgres = await PostgresServer.LaunchAsync();
        var database = await Postgres.CreateDatabaseAsync();
        await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(database));
        await PlatformDatabase.MigrateAsync(db);
        return database;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}

/// <summary>
/// The Api pointed at a "database" that accepts connections and never answers (a black-holed server):
/// only the configured timeouts can end a request, so a request that ends at all was bounded by them.
/// </summary>
public sealed class SilentDatabaseApiFactory : ApiFactory
{
    private TcpListener? _listener;
    private readonly List<Socket> _accepted = [];

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
    [
        new("Auth:RequireApiKey", "true"),
        new("Auth:KeyLookupTimeout", "00:00:01"),
        new("Database:RequestTimeout", "00:00:01"),
    ];

    protected override Task<string> PrepareDatabaseAsync()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptForeverAsync(_listener);
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        // Npgsql alone would wait 15 s to connect, then 30 s per command.
        return Task.FromResult($"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=silent;Timeout=15;Command Timeout=30");
    }

    private async Task AcceptForeverAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync();
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _listener?.Stop();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }
    }
}

public sealed class DatabaseOutageTests(PrivatePostgresApiFactory factory) : IClassFixture<PrivatePostgresApiFactory>
{
    /// <summary>Generous: only a hang reaches it, never a request bounded by the 1 s timeouts.</summary>
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WithPostgresDownAKeySeenBeforeIsStillServedAndAnUnknownKeyGets503WithRetryAfter()
    {
        var known = await ApiKeyTests.CreateKeyAsync(factory, "tenant-outage");
        using (var before = await GetModelsAsync(known))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // With no cache duration an unknown key is looked up every time, and its absence is not remembered.
        using (var unknownBefore = await GetModelsAsync("pk-unknown-" + Guid.NewGuid().ToString("N")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknownBefore.StatusCode);
        }

        await factory.Postgres.StopAsync();
        try
        {
            using var served = await GetModelsAsync(known);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);

            using var unknown = await GetModelsAsync("pk-never-seen-" + Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unknown.StatusCode);
            Assert.NotNull(unknown.Headers.RetryAfter);
            BadInputTests.AssertOpenAIError(await unknown.Content.ReadAsStringAsync(), "service_unavailable");

            // A database read of the request itself fails the same way, for the caller the key let in.
            using var usage = await SendAsync("/v1/usage", known);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, usage.StatusCode);
            Assert.NotNull(usage.Headers.RetryAfter);
        }
        finally
        {
            await factory.Postgres.StartAsync();
        }

        using var after = await GetModelsAsync(known);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private Task<HttpResponseMessage> GetModelsAsync(string key) => SendAsync("/v1/models", key);

    private async Task<HttpResponseMessage> SendAsync(string path, string key)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var hang = new CancellationTokenSource(HangDetector);
        return await client.SendAsync(request, hang.Token);
    }
}

public sealed class SilentDatabaseTests(SilentDatabaseApiFactory factory) : IClassFixture<SilentDatabaseApiFactory>
{
    [Fact]
    public async Task AKeyLookupAgainstADatabaseThatNeverAnswersEndsWith503WithinTheConfiguredTimeout()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "pk-unknown-" + Guid.NewGuid().ToString("N"));
        // Npgsql's own connect timeout is 15 s here: only Auth:KeyLookupTimeout (1 s) can end the request before this.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await client.SendAsync(request, hang.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        BadInputTests.AssertOpenAIError(await response.Content.ReadAsStringAsync(), "service_unavailable");
    }

    [Fact]
    public async Task AUsageQueryAgainstADatabaseThatNeverAnswersEndsWith503WithinTheConfiguredTimeout()
    {
        using var client = factory.CreateAuthorizedClient();
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await client.GetAsync("/v1/usage", hang.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        BadInputTests.AssertOpenAIError(await response.Content.ReadAsStringAsync(), "service_unavailable");
    }
}
