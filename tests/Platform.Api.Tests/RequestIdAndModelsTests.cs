using System.Net;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class RequestIdAndModelsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task EveryResponseGetsARequestId()
    {
        using var http = api.CreateAuthorizedClient();

        using var ok = await http.PostChatAsync(ApiHttp.UserMessage("offline", "hi"));
        using var bad = await http.PostChatAsync("{");

        var first = Assert.Single(ok.Headers.GetValues("x-request-id"));
        var second = Assert.Single(bad.Headers.GetValues("x-request-id"));
        Assert.NotEqual(first, second);
        Assert.StartsWith("req_", first);
    }

    [Fact]
    public async Task AClientsRequestIdIsEchoedAsItsOwnFieldAndNeverBecomesTheGatewaysId()
    {
        using var http = api.CreateAuthorizedClient();

        using var first = await http.PostChatAsync(ApiHttp.UserMessage("offline", "hi"), r => r.Headers.Add("x-request-id", "client-id_42.a:b"));
        using var second = await http.PostChatAsync(ApiHttp.UserMessage("offline", "hi"), r => r.Headers.Add("x-request-id", "client-id_42.a:b"));

        Assert.Equal("client-id_42.a:b", Assert.Single(first.Headers.GetValues("x-client-request-id")));
        Assert.Equal("client-id_42.a:b", Assert.Single(second.Headers.GetValues("x-client-request-id")));
        var ids = new[] { first, second }.Select(r => Assert.Single(r.Headers.GetValues("x-request-id"))).ToList();
        Assert.All(ids, id => Assert.StartsWith("req_", id));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task AnErrorKeepsTheClientsRequestIdToo()
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync("{", r => r.Headers.Add("x-request-id", "client-err-1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("client-err-1", Assert.Single(response.Headers.GetValues("x-client-request-id")));
        Assert.StartsWith("req_", Assert.Single(response.Headers.GetValues("x-request-id")));
    }

    [Fact]
    public async Task InvalidIncomingRequestIdIsReplaced()
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage("offline", "hi"), r => r.Headers.TryAddWithoutValidation("x-request-id", "bad id with spaces <script>"));

        var id = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.StartsWith("req_", id);
        Assert.False(response.Headers.Contains("x-client-request-id"));
    }

    [Fact]
    public async Task ModelsListsConfiguredModelsAndAliasesInOpenAIShape()
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await http.GetAsync("/v1/models");
        var list = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("list", list.GetProperty("object").GetString());
        var models = list.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m);
        Assert.Equal("stub", models[ApiFactory.StubModel].GetProperty("owned_by").GetString());
        Assert.Equal("stub", models[ApiFactory.StubAlias].GetProperty("owned_by").GetString());
        Assert.Equal("offline", models["offline"].GetProperty("owned_by").GetString());
        Assert.Equal("model", models["offline"].GetProperty("object").GetString());
    }

    [Fact]
    public async Task OpenAIClientListsTheModels()
    {
        var client = new OpenAI.Models.OpenAIModelClient(new System.ClientModel.ApiKeyCredential(ApiFactory.AdminKey), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri(api.Server.BaseAddress, "/v1"),
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(api.CreateClient()),
        });

        var models = (await client.GetModelsAsync()).Value;

        Assert.Contains(models, m => m.Id == "offline");
    }
}
