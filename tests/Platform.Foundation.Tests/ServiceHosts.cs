using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>Starts a service in-process on the configuration Aspire would give it.</summary>
internal static class ServiceHosts
{
    public static async Task<WebApplicationFactory<T>> StartAsync<T>(string? databaseConnectionString = null, IDictionary<string, string>? settings = null)
        where T : class
    {
        var database = databaseConnectionString ?? await SharedServers.CreateDatabaseAsync();
        var redis = await SharedServers.GetRedisConnectionStringAsync();
        return new WebApplicationFactory<T>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:platformdb", database);
            host.UseSetting("ConnectionStrings:redis", redis);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                host.UseSetting(key, value);
            }
        });
    }

    /// <summary>Polls /health until it reports the expected status (services become ready asynchronously).</summary>
    public static async Task<(int StatusCode, string Body)> WaitForHealthAsync(HttpClient client, string expectedStatus, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await client.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();
            if (TopLevelStatus(body) == expectedStatus || DateTime.UtcNow > deadline)
            {
                return ((int)response.StatusCode, body);
            }
            await Task.Delay(200);
        }
    }

    private static string? TopLevelStatus(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("status").GetString();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
