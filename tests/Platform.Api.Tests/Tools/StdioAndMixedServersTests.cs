using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api.Tests.Tools.Infrastructure;

namespace Platform.Api.Tests.Tools;

/// <summary>
/// The catalog with servers of every kind: McpHost over HTTP, a stdio server started by command, an HTTP
/// server that is down and a stdio command that does not exist.
/// </summary>
[Collection(MixedServersCollection.Name)]
public class StdioAndMixedServersTests(StdioAndMixedServersTests.MixedServersApi api)
{
    public sealed class MixedServersApi : ToolsApiFactory
    {
        public string WorkingDirectory { get; } = Directory.CreateTempSubdirectory("platform-stdio-").FullName;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(StdioServer.Settings("stdio", WorkingDirectory))
        {
            // Port 9 (discard) on loopback: nothing listens, so connecting is refused at once.
            ["Mcp:Servers:offline:Endpoint"] = "http://127.0.0.1:9/mcp",
            ["Mcp:Servers:missing:Command"] = "/nonexistent/platform-mcp-server",
        };

        public override async Task DisposeFixtureAsync()
        {
            await base.DisposeFixtureAsync();
            Directory.Delete(WorkingDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AStdioServersToolsAreListedSearchedAndCalledThroughTheApi()
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "reverse_text");

        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/tools?server=stdio&limit=100");
        var search = await client.GetFromJsonAsync<JsonElement>("/v1/tools/search?q=reverse%20the%20characters%20of%20a%20text&k=3");
        using var invoke = await client.PostAsJsonAsync("/v1/tools/reverse_text/invoke", new { arguments = new { text = "gateway" } });
        var result = await invoke.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Contains("describe_environment", Names(listed));
        Assert.Equal("reverse_text", search.GetProperty("data")[0].GetProperty("tool").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, invoke.StatusCode);
        Assert.Equal("yawetag", result.GetProperty("structured_content").GetProperty("reversed").GetString());
    }

    [Fact]
    public async Task AStdioServerRunsWithItsConfiguredEnvironmentAndWorkingDirectory()
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "describe_environment");

        var environment = await InvokeAsync(client, "describe_environment");

        Assert.Equal("hello from configuration", environment.GetProperty("greeting").GetString());
        Assert.Equal(Path.GetFullPath(api.WorkingDirectory), Path.GetFullPath(environment.GetProperty("workingDirectory").GetString()!));
    }

    [Fact]
    public async Task AStdioServerThatExitsIsStartedAgainAndCallsSucceedOnTheNewProcess()
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "describe_environment");
        var before = (await InvokeAsync(client, "describe_environment")).GetProperty("processId").GetInt32();

        using var crash = await client.PostAsJsonAsync("/v1/tools/exit_process/invoke", new { arguments = new { } });
        var after = await PollAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/v1/tools/describe_environment/invoke", new { arguments = new { } });
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("structured_content").GetProperty("processId").GetInt32()
                : (int?)null;
        });

        Assert.False(crash.IsSuccessStatusCode);
        Assert.NotNull(after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task ServersThatAreDownDoNotKeepTheApiFromStartingOrTheOtherServersToolsFromBeingServed()
    {
        using var client = api.CreateClient();
        using var admin = api.CreateAdminClient();
        await WaitForToolAsync(client, "reverse_text");

        var tools = Names(await client.GetFromJsonAsync<JsonElement>("/v1/tools?limit=1000"));
        using var refresh = await admin.PostAsync("/v1/tools/refresh", null);
        var status = await refresh.Content.ReadFromJsonAsync<JsonElement>();
        var servers = status.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("available").GetBoolean());

        Assert.Contains("evaluate_expression", tools);
        Assert.Contains("reverse_text", tools);
        Assert.True(servers["mcphost"]);
        Assert.True(servers["stdio"]);
        Assert.False(servers["offline"]);
        Assert.False(servers["missing"]);
    }

    internal static async Task<JsonElement> InvokeAsync(HttpClient client, string tool)
    {
        using var response = await client.PostAsJsonAsync($"/v1/tools/{tool}/invoke", new { arguments = new { } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("structured_content");
    }

    internal static async Task WaitForToolAsync(HttpClient client, string name) =>
        Assert.True(await PollAsync(async () =>
        {
            using var response = await client.GetAsync($"/v1/tools/{name}");
            return response.IsSuccessStatusCode ? true : (bool?)null;
        }) == true, $"{name} never appeared in the catalog");

    private static async Task<T?> PollAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(100);
        }
        return null;
    }

    internal static List<string> Names(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
}

/// <summary>One Api with every kind of server, shared by the classes that need it (starting it costs seconds).</summary>
[CollectionDefinition(Name)]
public sealed class MixedServersCollection : ICollectionFixture<StdioAndMixedServersTests.MixedServersApi>
{
    public const string Name = "mixed MCP servers";
}
