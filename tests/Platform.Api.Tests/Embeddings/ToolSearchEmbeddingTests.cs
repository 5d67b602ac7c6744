using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Embeddings;

/// <summary>The Api with a real McpHost whose tools are embedded by the stub provider's embedding model, four at a time.</summary>
public sealed class ProviderEmbeddedToolsFactory : McpHostApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> McpSettings =>
    [
        new("Mcp:Embeddings:Model", StubEmbeddingModel),
        new("Mcp:Embeddings:BatchSize", "4"),
    ];
}

public sealed class ToolSearchEmbeddingTests(ProviderEmbeddedToolsFactory api) : IClassFixture<ProviderEmbeddedToolsFactory>
{
    [Fact]
    public async Task ToolSearchEmbedsWithTheConfiguredProviderModelInBatches()
    {
        using var http = api.CreateAuthorizedClient();

        var tools = await http.GetFromJsonAsync<JsonElement>("/v1/tools?limit=1000");
        var search = await http.GetFromJsonAsync<JsonElement>("/v1/tools/search?q=hash%20this%20text&k=3");

        var requests = api.Upstream.EmbeddingRequests.ToList();
        var embedded = requests.SelectMany(r => r.Body.GetProperty("input").EnumerateArray().Select(i => i.GetString()!)).ToList();
        Assert.All(requests, r => Assert.Equal(ApiFactory.StubEmbeddingModel, r.Model));
        Assert.All(requests, r => Assert.InRange(r.Body.GetProperty("input").GetArrayLength(), 1, 4));
        Assert.Contains(embedded, text => text.Contains("evaluate_expression", StringComparison.Ordinal));
        Assert.True(embedded.Count > tools.GetProperty("data").GetArrayLength(), "every tool and the query are embedded");
        Assert.Contains("hash this text", embedded);
        Assert.Equal(3, search.GetProperty("data").GetArrayLength());
    }
}
