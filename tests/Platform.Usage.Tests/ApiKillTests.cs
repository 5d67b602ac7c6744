using System.Collections.Concurrent;
using System.Net.Http.Json;
using Npgsql;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

public sealed class ApiKillTests
{
    private const int Callers = 16;

    [Fact]
    public async Task ApiKilledUnderLoadWithAcknowledgedDurabilityHasExactlyOneRowForEveryAnsweredRequest()
    {
        var redisConnectionString = await SharedServers.GetRedisConnectionStringAsync();
        var database = await UsageDatabase.CreateMigratedAsync();
        var stream = UsageStreams.UniqueName("api-sigkill");
        var journal = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N"));
        var answered = new ConcurrentBag<string>();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = redisConnectionString,
            ["ConnectionStrings__platformdb"] = database,
            ["Usage__StreamName"] = stream,
            ["Usage__JournalDirectory"] = journal,
            ["Usage__Durability"] = "Acknowledged",
        };

        try
        {
            var port = ServerProcess.GetFreePort();
            await using (var api = ServiceProcess.Start("Platform.Api", new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }))
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await WaitUntilAnsweringAsync(http, api);
                var callers = Enumerable.Range(0, Callers).Select(c => Task.Run(() => CallUntilFailureAsync(http, c, answered))).ToArray();
                var loadDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (answered.Count < 300 && DateTime.UtcNow < loadDeadline && !api.HasExited)
                {
                    await Task.Delay(10);
                }
                Assert.True(answered.Count >= 300, $"Only {answered.Count} requests answered before the kill.\n{api.Output}");

                api.KillHard(); // SIGKILL mid-load: requests in flight die with the process
                await Task.WhenAll(callers);
            }

            // A restarted Api replays whatever the killed one journaled; the Worker stores the stream.
            var restartPort = ServerProcess.GetFreePort();
            await using (var restarted = ServiceProcess.Start("Platform.Api", new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{restartPort}" }))
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restartPort}") };
                await WaitUntilAnsweringAsync(http, restarted, warmUp: false);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (Directory.Exists(journal) && Directory.GetFiles(journal, "*.journal").Length > 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
                await restarted.TerminateAsync(TimeSpan.FromSeconds(30));
            }
            await using var worker = new WorkerFactory(redisConnectionString, database, stream).Start();
            await WaitForRequestsAsync(database, answered, TimeSpan.FromSeconds(60));

            var rows = await RowsPerRequestAsync(database);
            var missing = answered.Where(id => !rows.ContainsKey(id)).ToList();
            var duplicated = rows.Where(r => r.Value != 1).Select(r => r.Key).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered requests have no usage row, e.g. {string.Join(", ", missing.Take(5))}.");
            Assert.True(duplicated.Count == 0, $"{duplicated.Count} requests have more than one row, e.g. {string.Join(", ", duplicated.Take(5))}.");
        }
        finally
        {
            if (Directory.Exists(journal))
            {
                Directory.Delete(journal, recursive: true);
            }
        }
    }

    /// <summary>Alternates JSON and streamed requests; a request counts as answered only once its whole answer arrived.</summary>
    private static async Task CallUntilFailureAsync(HttpClient http, int caller, ConcurrentBag<string> answered)
    {
        for (var i = 0; ; i++)
        {
            var stream = i % 2 == 1;
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
                {
                    model = "offline",
                    stream,
                    messages = new[] { new { role = "user", content = $"kill test {caller} {i} {Guid.NewGuid():N}" } },
                });
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode && (!stream || body.TrimEnd().EndsWith("data: [DONE]", StringComparison.Ordinal)))
                {
                    answered.Add(response.Headers.GetValues("x-request-id").Single());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                return; // the Api is gone
            }
        }
    }

    private static async Task WaitUntilAnsweringAsync(HttpClient http, ServiceProcess api, bool warmUp = true)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/alive");
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !api.HasExited)
            {
            }
            Assert.False(api.HasExited, api.Output);
            await Task.Delay(200);
        }
        if (warmUp)
        {
            // The first answers wait on JIT and first connections; the kill should land in steady load.
            using var first = await http.PostAsJsonAsync("/v1/chat/completions", new { model = "offline", messages = new[] { new { role = "user", content = "warm up" } } });
            first.EnsureSuccessStatusCode();
        }
    }

    private static async Task WaitForRequestsAsync(string database, IReadOnlyCollection<string> requestIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !requestIds.All((await RowsPerRequestAsync(database)).ContainsKey))
        {
            await Task.Delay(200);
        }
    }

    private static async Task<Dictionary<string, long>> RowsPerRequestAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT request_id, count(*) FROM usage_records GROUP BY request_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }
        return rows;
    }
}
