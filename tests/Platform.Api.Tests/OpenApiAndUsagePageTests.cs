using System.Net;
using System.Text.Json;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class OpenApiAndUsagePageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task TheOpenApiDocumentListsTheChatEmbeddingsToolsAndUsagePaths()
    {
        using var http = api.CreateClient();

        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Contains("/v1/chat/completions", paths);
        Assert.Contains("/v1/embeddings", paths);
        Assert.Contains("/v1/models", paths);
        Assert.Contains("/v1/tools", paths);
        Assert.Contains("/v1/tools/{name}/invoke", paths);
        Assert.Contains("/v1/usage", paths);
        Assert.Contains("/v1/usage/series", paths);
        Assert.DoesNotContain("/usage", paths);
        Assert.Equal("Platform API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheUsagePageIsServedWithoutAKeyAndLoadsNothingFromElsewhere()
    {
        using var http = api.CreateClient();

        using var page = await http.GetAsync("/usage");
        using var script = await http.GetAsync("/usage/usage.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/usage/usage.js\"></script>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("/v1/usage/series", await script.Content.ReadAsStringAsync());
    }
}
