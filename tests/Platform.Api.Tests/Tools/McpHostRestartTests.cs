using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api.Tests.Tools.Infrastructure;

namespace Platform.Api.Tests.Tools;

/// <summary>McpHost restarted between two calls (its sessions forgotten): Api callers see two answers, no error.</summary>
public class McpHostRestartTests(ToolsApiFactory api) : IClassFixture<ToolsApiFactory>
{
    [Fact]
    public async Task AToolCallAfterMcpHostRestartedMidSessionSucceedsOnAFreshSession()
    {
        using var client = api.CreateClient();
        var before = await EvaluateAsync(client, "20 + 1");

        await api.McpHost.RestartAsync();
        var after = await EvaluateAsync(client, "20 + 2");

        Assert.Equal((HttpStatusCode.OK, 21), before);
        Assert.Equal((HttpStatusCode.OK, 22), after);
    }

    private static async Task<(HttpStatusCode, double)> EvaluateAsync(HttpClient client, string expression)
    {
        using var response = await client.PostAsJsonAsync("/v1/tools/evaluate_expression/invoke", new { arguments = new { expression } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, response.IsSuccessStatusCode ? body.GetProperty("structured_content").GetProperty("result").GetDouble() : double.NaN);
    }
}
