using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Platform.AppHost.Tests;

/// <summary>The whole application as the AppHost runs it, checked through the clients Aspire gives.</summary>
public sealed class PlatformAppTests(PlatformApp platform) : IClassFixture<PlatformApp>
{
    [Fact]
    public async Task EveryResourceIsHealthy()
    {
        foreach (var resource in new[] { "redis", "postgres", "mcphost", "worker", "api" })
        {
            Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(resource, out var state), resource);
            Assert.Equal(HealthStatus.Healthy, state!.Snapshot.HealthStatus);
        }
        using var api = platform.CreateApiClient();
        var health = await api.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OutsideDevelopmentTheApiRefusesAnAnonymousChatCall()
    {
        using var api = platform.CreateAnonymousApiClient();

        using var response = await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            messages = new[] { new { role = "user", content = "Hello without a key" } },
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AChatRequestIsAnsweredAndItsUsageReachesPostgresThroughTheWorker()
    {
        using var api = platform.CreateApiClient();
        using var response = await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            messages = new[] { new { role = "user", content = $"Hello from the AppHost test {Guid.NewGuid()}" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("offline", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var requestId = Assert.Single(response.Headers.GetValues("x-request-id"));

        // The Api hands the record to Redis; the Worker writes it to PostgreSQL; /v1/usage reads it back.
        using var admin = platform.CreateApiClient(asAdmin: true);
        var records = await Eventually(async () =>
        {
            var body = await admin.GetFromJsonAsync<JsonElement>($"/v1/usage/requests/{requestId}");
            return body.GetProperty("data").GetArrayLength() > 0 ? body.GetProperty("data") : (JsonElement?)null;
        });
        var record = Assert.Single(records.EnumerateArray());
        Assert.Equal("offline", record.GetProperty("model").GetString());

        await using var connection = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("platformdb"));
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from usage_records where request_id = @id", connection);
        count.Parameters.AddWithValue("id", requestId);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AnMcpToolOfTheMcpHostIsCalledThroughTheApi()
    {
        using var api = platform.CreateApiClient();
        // The catalog lists McpHost's tools in the background after start-up.
        await Eventually(async () =>
        {
            var tools = await api.GetStringAsync("/v1/tools");
            return tools.Contains("evaluate_expression") ? tools : null;
        });

        using var response = await api.PostAsJsonAsync("/v1/tools/evaluate_expression/invoke", new { arguments = new { expression = "6*7" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("42", await response.Content.ReadAsStringAsync());
    }

    internal static async Task<T> Eventually<T>(Func<Task<T?>> probe, int seconds = 60) where T : class =>
        (await EventuallyCore(async () => await probe() is { } value ? (true, value) : (false, default!), seconds));

    internal static async Task<T> Eventually<T>(Func<Task<T?>> probe, int seconds = 60) where T : struct =>
        await EventuallyCore(async () => await probe() is { } value ? (true, value) : (false, default), seconds);

    private static async Task<T> EventuallyCore<T>(Func<Task<(bool Done, T Value)>> probe, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var (done, value) = await probe();
            if (done)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {seconds} s.");
            }
            await Task.Delay(250);
        }
    }
}
