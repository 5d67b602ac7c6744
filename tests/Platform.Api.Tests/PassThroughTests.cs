using System.Text.Json;
using Platform.Api.Caching;
using Platform.Api.Chat;
using Platform.Api.Chat.Wire;
using Platform.Api.Pipeline;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

/// <summary>Request parameters the gateway does not interpret reach the provider as sent and count in the response-cache key.</summary>
public sealed class PassThroughTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] PassedThrough =
        ["reasoning_effort", "logit_bias", "parallel_tool_calls", "metadata", "response_format", "seed", "user", "service_tier", "x_vendor_option", "x-vendor.flag"];

    private const string Parameters = """
        ,"reasoning_effort":"low","logit_bias":{"50256":-100,"1234":5},"parallel_tool_calls":false,"metadata":{"team":"blue","run":"7"},
        "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}},
        "seed":42,"user":"end-user-7","service_tier":"flex","x_vendor_option":{"depth":[1,2.5,"three"],"on":true},"x-vendor.flag":"it's on"
        """;

    [Fact]
    public async Task ParametersTheGatewayDoesNotInterpretReachTheProviderVerbatim()
    {
        api.Upstream.RespondWith(StubReply.Text("""{"city":"Oslo"}"""));
        var prompt = ApiHttp.Unique("pass these on");
        var request = ApiHttp.UserMessage(ApiFactory.StubModel, prompt, Parameters.ReplaceLineEndings(""));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var sent = JsonDocument.Parse(request).RootElement;
        var received = api.Upstream.Requests.Last(r => r.Body.GetProperty("messages")[0].GetProperty("content").GetString() == prompt).Body;
        foreach (var name in PassedThrough)
        {
            Assert.True(received.TryGetProperty(name, out var value), $"'{name}' did not reach the provider");
            Assert.Equal(sent.GetProperty(name).GetRawText(), value.GetRawText());
        }
    }

    [Theory]
    [InlineData(",\"logit_bias\":{\"50256\":-100}", ",\"logit_bias\":{\"50256\":-99}")]
    [InlineData(",\"metadata\":{\"team\":\"blue\"}", ",\"metadata\":{\"team\":\"red\"}")]
    [InlineData(",\"reasoning_effort\":\"low\"", ",\"reasoning_effort\":\"high\"")]
    [InlineData(",\"x_vendor_option\":1", ",\"x_vendor_option\":2")]
    [InlineData("", ",\"service_tier\":\"flex\"")]
    [InlineData(",\"parallel_tool_calls\":true", ",\"parallel_tool_calls\":false")]
    [InlineData(",\"user\":\"a\"", ",\"user\":\"b\"")]
    public void APassThroughParameterChangesTheCacheKey(string one, string other)
    {
        Assert.NotEqual(Key(one), Key(other));
        Assert.Equal(Key(other), Key(other));
    }

    [Fact]
    public void TheOrderOfPassThroughParametersDoesNotChangeTheCacheKey()
    {
        Assert.Equal(Key(",\"metadata\":{\"a\":\"1\"},\"service_tier\":\"flex\""), Key(",\"service_tier\":\"flex\",\"metadata\":{\"a\":\"1\"}"));
    }

    [Fact]
    public async Task AnAnswerIsReusedOnlyForTheSamePassThroughParametersAndOnlyAtTemperatureZeroByDefault()
    {
        api.Upstream.RespondWith(StubReply.Text("cached?"));
        var prompt = ApiHttp.Unique("cache with parameters");
        using var http = api.CreateAuthorizedClient();

        async Task<string> CacheStatus(string extra)
        {
            using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, prompt, extra));
            Assert.True(response.IsSuccessStatusCode);
            return Assert.Single(response.Headers.GetValues("x-cache"));
        }

        Assert.Equal("bypass", await CacheStatus(""","logit_bias":{"1":1}"""));
        Assert.Equal("miss", await CacheStatus(""","temperature":0,"logit_bias":{"1":1}"""));
        Assert.Equal("hit", await CacheStatus(""","temperature":0,"logit_bias":{"1":1}"""));
        Assert.Equal("miss", await CacheStatus(""","temperature":0,"logit_bias":{"1":2}"""));
    }

    private static string Key(string extra)
    {
        var wire = JsonSerializer.Deserialize(ApiHttp.UserMessage("m", "same prompt", extra), ChatWireJsonContext.Default.ChatCompletionRequest)!;
        var request = ChatRequestMapper.Map(wire);
        var context = new ChatRequestContext { RequestId = "r", TenantId = "t", ProviderName = "p", ModelId = "m", RequestedModel = "m" };
        return ResponseCacheKey.Compute(context, request.Messages, request.Options);
    }
}
