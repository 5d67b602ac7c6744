using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>Tools turned off and on at run time, and the list_changed notifications connected clients get.</summary>
public sealed class ToolListChangedTests(McpHostServer server) : IClassFixture<McpHostServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // Each test leaves every tool enabled for the next one.
    public async Task DisposeAsync()
    {
        using var http = server.CreateHttpClient();
        foreach (var name in ToolCallTests.ToolNames)
        {
            (await http.PostAsync($"/admin/tools/{name}/enable", null)).Dispose();
        }
        server.Configuration.Current.SetAndReload(new Dictionary<string, string?> { ["McpHost:DisabledTools"] = null });
    }

    [Fact]
    public async Task SdkClientIsNotifiedWhenAToolIsDisabledAndNoLongerSeesIt()
    {
        await using var client = await server.ConnectAsync();
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            notified.TrySetResult();
            return default;
        });
        using var admin = server.CreateHttpClient();

        // The client opens its GET stream in the background and notifications sent before it exists are
        // dropped (the spec makes that stream optional), so toggle until one gets through.
        for (var attempt = 0; !notified.Task.IsCompleted && attempt < 50; attempt++)
        {
            (await admin.PostAsync($"/admin/tools/hash_text/{(attempt % 2 == 0 ? "disable" : "enable")}", null)).Dispose();
            await Task.WhenAny(notified.Task, Task.Delay(200));
        }
        using var disable = await admin.PostAsync("/admin/tools/hash_text/disable", null);
        var tools = await client.ListToolsAsync();

        Assert.True(notified.Task.IsCompleted, "no notifications/tools/list_changed arrived");
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.DoesNotContain(tools, t => t.Name == "hash_text");
        Assert.Contains(tools, t => t.Name == "encode_text");
        var call = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("hash_text", ToolCallTests.Arguments("""{"text":"x"}""")).AsTask());
        Assert.Contains("hash_text", call.Message);
    }

    [Fact]
    public async Task RawClientGetStreamReceivesListChangedWhenConfigurationDisablesATool()
    {
        using var http = server.CreateHttpClient();
        var client = new RawMcpClient(http);
        await client.InitializeAsync();
        using var stream = await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Get, client.SessionId), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());

        server.Configuration.Current.SetAndReload(new Dictionary<string, string?> { ["McpHost:DisabledTools:0"] = "json_query" });
        var notification = await ProtocolTests.ReadNextMessageAsync(reader).WaitAsync(TimeSpan.FromSeconds(10));
        var tools = await client.CallAsync("tools/list");

        Assert.Equal("notifications/tools/list_changed", (string?)notification["method"]);
        Assert.DoesNotContain(tools["tools"]!.AsArray(), t => (string?)t!["name"] == "json_query");
    }

    [Fact]
    public async Task AdminCannotEnableAToolThatConfigurationDisables()
    {
        server.Configuration.Current.SetAndReload(new Dictionary<string, string?> { ["McpHost:DisabledTools:0"] = "generate_uuid" });
        using var admin = server.CreateHttpClient();

        using var enable = await admin.PostAsync("/admin/tools/generate_uuid/enable", null);
        var states = await admin.GetFromJsonAsync<JsonArray>("/admin/tools");

        Assert.Equal(HttpStatusCode.Conflict, enable.StatusCode);
        Assert.Contains(states!, s => (string?)s!["name"] == "generate_uuid" && (string?)s["state"] == "disabled-by-configuration");
    }

    [Fact]
    public async Task AdminApiAnswers404ForAnUnknownToolAnd401WithoutTheToken()
    {
        using var admin = server.CreateHttpClient();
        using var anonymous = server.CreateHttpClient(token: null);

        using var unknown = await admin.PostAsync("/admin/tools/no_such_tool/disable", null);
        using var unauthorized = await anonymous.PostAsync("/admin/tools/hash_text/disable", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }
}
