using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.AppHost.Tests;

/// <summary>Redis stopped and started again through the orchestrator, as an operator would from the dashboard.</summary>
public sealed class RedisRestartTests(PlatformApp platform) : IClassFixture<PlatformApp>
{
    [Fact]
    public async Task TheApiKeepsAnsweringWhileRedisIsStoppedAndTheUsageOfThatTimeArrivesAfterItsRestart()
    {
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using var timeout = new CancellationTokenSource(PlatformApp.StartTimeout);
        using var api = platform.CreateApiClient();

        var connectionString = await platform.App.GetConnectionStringAsync("redis", timeout.Token);
        var stopped = await commands.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stopped.Success, stopped.Message);
        await platform.App.ResourceNotifications.WaitForResourceAsync("redis", KnownResourceStates.TerminalStates, timeout.Token);

        var answeredWhileDown = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answeredWhileDown.Add(await ChatAsync(api, $"while Redis is down {i} {Guid.NewGuid()}"));
        }

        var started = await commands.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(started.Success, started.Message);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("redis", timeout.Token);
        // The services were given the connection string once, at start: it must still lead to Redis.
        Assert.Equal(connectionString, await platform.App.GetConnectionStringAsync("redis", timeout.Token));
        var answeredAfterRestart = await ChatAsync(api, $"after the restart {Guid.NewGuid()}");

        // Records of the outage went to the Api's journal and are replayed once Redis is back:
        // every answered request ends up with exactly one row.
        using var admin = platform.CreateApiClient(asAdmin: true);
        foreach (var requestId in answeredWhileDown.Append(answeredAfterRestart))
        {
            var count = await PlatformAppTests.Eventually<int>(async () =>
            {
                var body = await admin.GetFromJsonAsync<JsonElement>($"/v1/usage/requests/{requestId}");
                var n = body.GetProperty("data").GetArrayLength();
                return n > 0 ? n : null;
            }, seconds: 90);
            Assert.Equal(1, count);
        }
    }

    private static async Task<string> ChatAsync(HttpClient api, string content)
    {
        using var response = await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            messages = new[] { new { role = "user", content } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("x-request-id"));
    }
}
