using System.Net.Http.Json;
using Npgsql;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

public sealed class ApiShutdownTests
{
    private const int Requests = 40;

    [Fact]
    public async Task ApiStoppedWithSigtermSendsItsQueuedRecordsBeforeExiting()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("api-sigterm");
        var port = ServerProcess.GetFreePort();
        var journal = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N"));
        await using var redis = await UsageStreams.ConnectAsync(redisConnectionString);
        var requestIds = new List<string>();

        await using (var api = ServiceProcess.Start("Platform.Api", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__redis"] = redisConnectionString,
            ["ConnectionStrings__platformdb"] = database,
            ["Usage__StreamName"] = stream,
            ["Usage__JournalDirectory"] = journal,
            // Nothing leaves the queue until shutdown: the records are still queued at SIGTERM.
            ["Usage__BatchSize"] = "100000",
            ["Usage__FlushInterval"] = "00:10:00",
            ["Usage__ReplayProbeInterval"] = "00:10:00",
        }))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            for (var i = 0; i < Requests; i++)
            {
                requestIds.Add(await ChatAsync(http, $"usage shutdown test {i}", api));
            }
            Assert.Equal(0, await redis.GetDatabase().StreamLengthAsync(stream));

            await api.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(Requests, await redis.GetDatabase().StreamLengthAsync(stream));
        Assert.False(Directory.Exists(journal) && Directory.GetFiles(journal, "*.journal").Length > 0, "Redis was up; nothing should be journaled.");
        await using var worker = new WorkerFactory(redisConnectionString, database, stream).Start();
        Assert.Equal(Requests, await UsageDatabase.WaitForCountAsync(database, Requests, TimeSpan.FromSeconds(60)));
        Assert.Equal(requestIds.Order(StringComparer.Ordinal), await ReadRequestIdsAsync(database));
    }

    private static async Task<string> ChatAsync(HttpClient http, string message, ServiceProcess api)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
                {
                    model = "offline",
                    messages = new[] { new { role = "user", content = message } },
                });
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{api.Output}");
                return response.Headers.GetValues("x-request-id").Single();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !api.HasExited)
            {
                await Task.Delay(200); // still starting
            }
        }
    }

    private static async Task<List<string>> ReadRequestIdsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT request_id FROM usage_records ORDER BY request_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids.Order(StringComparer.Ordinal).ToList();
    }
}
