using System.ClientModel;
using OpenAI.Chat;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class ChatCompletionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task OpenAIClientGetsTheUpstreamAnswerWithUsage()
    {
        api.Upstream.RespondWith(new StubReply { Content = "Paris is the capital.", PromptTokens = 20, CompletionTokens = 5, CachedTokens = 8, ReasoningTokens = 2 });
        var client = api.CreateChatClient(ApiFactory.StubModel);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("Capital of France?"))]);

        Assert.Equal("Paris is the capital.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ApiFactory.StubModel, completion.Model);
        Assert.Equal(20, completion.Usage.InputTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.Equal(25, completion.Usage.TotalTokenCount);
        Assert.Equal(8, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(2, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task RequestOptionsReachTheUpstreamInOpenAIForm()
    {
        api.Upstream.RespondWith(StubReply.Text("ok"));
        var client = api.CreateChatClient(ApiFactory.StubModel);
        var options = new ChatCompletionOptions
        {
            Temperature = 0.25f,
            TopP = 0.5f,
            MaxOutputTokenCount = 42,
            Seed = 7,
            EndUserId = "end-user-1",
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), jsonSchemaIsStrict: true),
        };
        options.StopSequences.Add("END");

        await client.CompleteChatAsync([new SystemChatMessage("Be brief."), new DeveloperChatMessage("Answer in JSON."), new UserChatMessage(ApiHttp.Unique("Where?"))], options);

        var body = api.Upstream.LastRequestFor(ApiFactory.StubModel).Body;
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(42, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal("end-user-1", body.GetProperty("user").GetString());
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("answer", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        var roles = body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()!).ToArray();
        Assert.Equal(["system", "developer", "user"], roles);
    }

    [Fact]
    public async Task ImagePartsAreForwardedToTheUpstream()
    {
        api.Upstream.RespondWith(StubReply.Text("A cat."));
        var client = api.CreateChatClient(ApiFactory.StubModel);

        await client.CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart(ApiHttp.Unique("What is this?")),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.png"), ChatImageDetailLevel.Low))]);

        var content = api.Upstream.LastRequestFor(ApiFactory.StubModel).Body.GetProperty("messages")[0].GetProperty("content");
        Assert.StartsWith("What is this?", content[0].GetProperty("text").GetString());
        Assert.Equal("https://example.com/cat.png", content[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("low", content[1].GetProperty("image_url").GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(ApiFactory.StubAlias)]
    [InlineData("stub/" + ApiFactory.StubModel)]
    [InlineData("stub/" + ApiFactory.StubAlias)]
    public async Task AliasesAndProviderQualifiedNamesReachTheProviderModel(string requested)
    {
        api.Upstream.RespondWith(StubReply.Text("resolved"));
        var client = api.CreateChatClient(requested);
        var prompt = ApiHttp.Unique($"via {requested}");

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(prompt)]);

        Assert.Equal("resolved", completion.Content[0].Text);
        var forwarded = api.Upstream.Requests.Last(r => r.Body.GetProperty("messages")[0].GetProperty("content").GetString() == prompt);
        Assert.Equal(ApiFactory.StubModel, forwarded.Model);
    }

    [Fact]
    public async Task UpstreamKeyIsTheProvidersNotTheCallers()
    {
        api.Upstream.RespondWith(StubReply.Text("ok"));
        await api.CreateChatClient(ApiFactory.StubModel).CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("key check"))]);

        Assert.Equal("Bearer upstream-key", api.Upstream.LastRequestFor(ApiFactory.StubModel).Authorization);
    }

    [Fact]
    public async Task UpstreamServerErrorReachesTheClientAsBadGatewayNamingTheStatusButNotTheProvidersAnswer()
    {
        api.Upstream.RespondWith(StubReply.Error(500, "upstream exploded"));
        var client = api.CreateChatClient(ApiFactory.StubModel);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage(ApiHttp.Unique("fail"))]));

        Assert.Equal(502, error.Status);
        Assert.Contains("500", error.Message);
        Assert.DoesNotContain("upstream exploded", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMalformedUpstreamAnswerIsABadGatewayWithAnOpenAIError(bool stream)
    {
        api.Upstream.RespondWith(StubReply.Raw("<html>not a completion</html>"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("malformed"), stream ? ",\"stream\":true" : ""));

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("upstream_error", error.GetProperty("code").GetString());
        Assert.DoesNotContain("<html>", error.GetProperty("message").GetString());
    }
}
