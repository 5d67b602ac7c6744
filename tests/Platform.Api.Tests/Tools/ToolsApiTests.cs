using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api.Tests.Tools.Infrastructure;

namespace Platform.Api.Tests.Tools;

/// <summary><c>/v1/tools</c> and MCP tools in chat, through the Api's HTTP surface.</summary>
public class ToolsApiTests(ToolsApiFactory api) : IClassFixture<ToolsApiFactory>
{
    [Fact]
    public async Task ToolsArePagedInNameOrder()
    {
        using var client = api.CreateClient();

        var first = await client.GetFromJsonAsync<JsonElement>("/v1/tools?limit=3");
        var names = Names(first);
        Assert.Equal(3, names.Count);
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        var second = await client.GetFromJsonAsync<JsonElement>($"/v1/tools?limit=3&after={names[^1]}");
        Assert.True(string.CompareOrdinal(Names(second)[0], names[^1]) > 0);

        var all = Names(await client.GetFromJsonAsync<JsonElement>("/v1/tools?server=mcphost&limit=1000"));
        Assert.Contains("evaluate_expression", all);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task AToolIsDescribedWithItsSchemaAndAnUnknownOneIs404()
    {
        using var client = api.CreateClient();

        var tool = await client.GetFromJsonAsync<JsonElement>("/v1/tools/evaluate_expression");
        Assert.Equal("mcphost", tool.GetProperty("server_label").GetString());
        Assert.Equal("object", tool.GetProperty("input_schema").GetProperty("type").GetString());
        Assert.True(tool.GetProperty("available").GetBoolean());

        using var missing = await client.GetAsync("/v1/tools/no_such_tool");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("tool_not_found", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task SearchFindsTheToolForAQuestion()
    {
        using var client = api.CreateClient();

        var result = await client.GetFromJsonAsync<JsonElement>("/v1/tools/search?q=convert%2010%20miles%20to%20kilometers&k=3");

        var names = result.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("tool").GetProperty("name").GetString()).ToList();
        Assert.Equal(3, names.Count);
        Assert.Contains("convert_units", names);

        using var missingQuery = await client.GetAsync("/v1/tools/search");
        Assert.Equal(HttpStatusCode.BadRequest, missingQuery.StatusCode);
    }

    [Fact]
    public async Task InvokingAToolReturnsItsResult()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/tools/evaluate_expression/invoke", new { arguments = new { expression = "(2 + 3) * 4" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("is_error").GetBoolean());
        Assert.Equal(20, result.GetProperty("structured_content").GetProperty("result").GetDouble());
    }

    [Fact]
    public async Task ArgumentsThatBreakTheToolsSchemaAre422WithTheSchemaError()
    {
        using var client = api.CreateClient();

        using var missing = await client.PostAsJsonAsync("/v1/tools/evaluate_expression/invoke", new { arguments = new { } });
        using var wrongType = await client.PostAsJsonAsync("/v1/tools/evaluate_expression/invoke", new { arguments = new { expression = 5 } });
        using var unknownTool = await client.PostAsJsonAsync("/v1/tools/no_such_tool/invoke", new { arguments = new { } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        var error = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_tool_arguments", error.GetProperty("code").GetString());
        Assert.Equal("arguments/expression", error.GetProperty("param").GetString());
        Assert.Contains("required", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownTool.StatusCode);
    }

    [Fact]
    public async Task RefreshingTheCatalogIsForAdminsOnly()
    {
        using var anonymous = api.CreateClient();
        using var admin = api.CreateAdminClient();

        using var refused = await anonymous.PostAsync("/v1/tools/refresh", null);
        using var accepted = await admin.PostAsync("/v1/tools/refresh", null);

        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var status = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status.GetProperty("tools").GetInt32() > 0);
    }

    [Fact]
    public async Task AChatThatForcesAnMcpToolCallIsAnsweredFromTheToolResult()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", ChatRequest(stream: false));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var message = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.False(message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array);
        var content = message.GetProperty("content").GetString()!;
        Assert.Contains("evaluate_expression", content);
        Assert.Contains("20", content);
    }

    [Fact]
    public async Task AStreamedChatThatForcesAnMcpToolCallStreamsTheAnswerFromTheToolResult()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", ChatRequest(stream: true));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var text = string.Concat(body.Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0)
            .Select(c => c[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var part) && part.ValueKind == JsonValueKind.String ? part.GetString() : ""));
        Assert.Contains("20", text);
        Assert.DoesNotContain("\"tool_calls\"", body);
        Assert.Contains("data: [DONE]", body);
    }

    [Fact]
    public async Task AnMcpEntryNamingAnUnknownServerIs400()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            messages = new[] { new { role = "user", content = "hi" } },
            tools = new object[] { new { type = "mcp", server_label = "nowhere" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("unknown_mcp_server", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AToolChoiceNamingAnMcpToolForcesThatToolAndTheAnswerUsesItsResult()
    {
        using var client = api.CreateClient();
        var tools = await client.GetFromJsonAsync<JsonElement>("/v1/tools?server=mcphost&limit=100");
        var exposed = tools.GetProperty("data").EnumerateArray()
            .Single(t => t.GetProperty("server_tool_name").GetString() == "evaluate_expression").GetProperty("name").GetString()!;

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            messages = new[] { new { role = "user", content = "(2 + 3) * 4" } },
            tools = new object[] { new { type = "mcp", server_label = "mcphost" } },
            tool_choice = new { type = "function", function = new { name = exposed } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("20", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task AToolChoiceNamingNeitherAFunctionNorAnMcpToolOfTheRequestIs400()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            messages = new[] { new { role = "user", content = "hi" } },
            tools = new object[] { new { type = "mcp", server_label = "mcphost", allowed_tools = new[] { "evaluate_expression" } } },
            tool_choice = new { type = "function", function = new { name = "generate_uuid" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("tool_choice.function.name", error.GetProperty("param").GetString());
    }

    private static object ChatRequest(bool stream) => new
    {
        model = "offline",
        stream,
        messages = new[] { new { role = "user", content = "(2 + 3) * 4" } },
        tools = new object[] { new { type = "mcp", server_label = "mcphost", allowed_tools = new[] { "evaluate_expression" } } },
        tool_choice = "required",
    };

    private static List<string> Names(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
}
