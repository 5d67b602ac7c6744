using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api.Tests.Tools.Infrastructure;
using static Platform.Api.Tests.Tools.StdioAndMixedServersTests;

namespace Platform.Api.Tests.Tools;

/// <summary>
/// What servers say about their tools and results reaches Api callers intact: annotations, output schemas,
/// structured content, and non-text content (images, embedded resources) through /v1/tools, invoke and chat.
/// </summary>
[Collection(MixedServersCollection.Name)]
public class CatalogFidelityTests(MixedServersApi api)
{
    [Fact]
    public async Task ToolsCarryTheirServersAnnotationsAndOutputSchema()
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "delete_note");

        var reverse = await client.GetFromJsonAsync<JsonElement>("/v1/tools/reverse_text");
        var delete = await client.GetFromJsonAsync<JsonElement>("/v1/tools/delete_note");
        var listed = (await client.GetFromJsonAsync<JsonElement>("/v1/tools?server=stdio&limit=100")).GetProperty("data").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "delete_note");

        AssertHints(reverse, readOnly: true, destructive: false, idempotent: true, openWorld: false);
        AssertHints(delete, readOnly: false, destructive: true, idempotent: false, openWorld: true);
        AssertHints(listed, readOnly: false, destructive: true, idempotent: false, openWorld: true);
        var output = reverse.GetProperty("output_schema");
        Assert.Equal("string", output.GetProperty("properties").GetProperty("reversed").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, delete.GetProperty("output_schema").ValueKind);
    }

    [Fact]
    public async Task McpHostToolsAreAnnotatedAsReadOnlyAndIdempotent()
    {
        using var client = api.CreateClient();

        var tool = await client.GetFromJsonAsync<JsonElement>("/v1/tools/evaluate_expression");

        AssertHints(tool, readOnly: true, destructive: false, idempotent: true, openWorld: false);
    }

    [Fact]
    public async Task InvokingAToolWithStructuredOutputReturnsTheStructuredContentAndItsText()
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "reverse_text");

        using var response = await client.PostAsJsonAsync("/v1/tools/reverse_text/invoke", new { arguments = new { text = "abc" } });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cba", result.GetProperty("structured_content").GetProperty("reversed").GetString());
        Assert.Equal(3, result.GetProperty("structured_content").GetProperty("length").GetInt32());
        Assert.Contains("\"reversed\":\"cba\"", result.GetProperty("text").GetString());
    }

    [Fact]
    public async Task InvokingAToolThatReturnsAnImageAndAResourceReturnsBothIntact()
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "render_swatch");

        using var response = await client.PostAsJsonAsync("/v1/tools/render_swatch/invoke", new { arguments = new { color = "red" } });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = result.GetProperty("content");
        Assert.Equal("image", content[0].GetProperty("type").GetString());
        Assert.Equal("image/png", content[0].GetProperty("mimeType").GetString());
        Assert.Equal(StdioServer.Pixel, Convert.FromBase64String(content[0].GetProperty("data").GetString()!));
        Assert.Equal("resource", content[1].GetProperty("type").GetString());
        Assert.Equal("swatch://red", content[1].GetProperty("resource").GetProperty("uri").GetString());
        Assert.Equal("A 1x1 red swatch.", content[1].GetProperty("resource").GetProperty("text").GetString());
        var text = result.GetProperty("text").GetString();
        Assert.Contains($"[image image/png, {StdioServer.Pixel.Length} bytes]", text);
        Assert.Contains("[resource swatch://red (text/plain)]\nA 1x1 red swatch.", text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheModelInAChatSeesStructuredAndNonTextToolResults(bool stream)
    {
        using var client = api.CreateClient();
        await WaitForToolAsync(client, "render_swatch");

        var swatch = await ChatAsync(client, "render_swatch", "red", stream);
        var reverse = await ChatAsync(client, "reverse_text", "stressed", stream);

        // The offline model answers with the tool results it was given, so its answer shows what it saw.
        Assert.Contains("[image image/png", swatch);
        Assert.Contains("swatch://red", swatch);
        Assert.Contains("A 1x1 red swatch.", swatch);
        Assert.Contains("\"reversed\":\"desserts\"", reverse);
    }

    private static async Task<string> ChatAsync(HttpClient client, string tool, string prompt, bool stream)
    {
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "offline",
            stream,
            messages = new[] { new { role = "user", content = prompt } },
            tools = new object[] { new { type = "mcp", server_label = "stdio", allowed_tools = new[] { tool } } },
            tool_choice = new { type = "function", function = new { name = tool } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        if (!stream)
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }
        return string.Concat(body.Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0)
            .Select(c => c[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var part) && part.ValueKind == JsonValueKind.String ? part.GetString() : ""));
    }

    private static void AssertHints(JsonElement tool, bool readOnly, bool destructive, bool idempotent, bool openWorld)
    {
        var hints = tool.GetProperty("annotations");
        Assert.Equal(readOnly, hints.GetProperty("read_only_hint").GetBoolean());
        Assert.Equal(destructive, hints.GetProperty("destructive_hint").GetBoolean());
        Assert.Equal(idempotent, hints.GetProperty("idempotent_hint").GetBoolean());
        Assert.Equal(openWorld, hints.GetProperty("open_world_hint").GetBoolean());
    }
}
