using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Providers;
using Platform.Api.Providers.OpenAICompatible;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Providers;

/// <summary>What the OpenAI-compatible provider sends and how it reads the answers, against a real loopback upstream.</summary>
public sealed class OpenAIWireFormatTests : IAsyncLifetime
{
    private StubUpstream _upstream = null!;
    private IChatClient _provider = null!;

    public async Task InitializeAsync()
    {
        _upstream = await StubUpstream.StartAsync();
        _provider = OpenAIProviderChatClient.Create("stub", new ProviderOptions { Endpoint = _upstream.BaseUrl, ApiKey = "k", Models = ["m1"] }, new HttpClient());
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task ARequestCarriesEveryRoleToolCallsAndResultsAsOpenAIExpectsThem()
    {
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png") { AdditionalProperties = new() { [ChatOptionKeys.ImageDetail] = "high" } };

        await _provider.GetResponseAsync(
        [
            new(ChatRole.System, "sys"),
            new(ChatMessageMapper.Developer, "dev"),
            new(ChatRole.User, [new TextContent("look"), image]) { AuthorName = "ann" },
            new(ChatRole.Assistant, [FunctionCallArguments.CreateCall("c1", "weather", """{"city":"Oslo"}""")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
            new(ChatRole.User, "thanks"),
        ], new ChatOptions { ModelId = "m1" });

        var body = _upstream.Requests.Last().Body;
        Assert.Equal("m1", body.GetProperty("model").GetString());
        var messages = body.GetProperty("messages");
        Assert.Equal(["system", "developer", "user", "assistant", "tool", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()!).ToArray());
        Assert.Equal("ann", messages[2].GetProperty("name").GetString());
        Assert.Equal("look", messages[2].GetProperty("content")[0].GetProperty("text").GetString());
        var imageUrl = messages[2].GetProperty("content")[1].GetProperty("image_url");
        Assert.Equal("data:image/png;base64,AQID", imageUrl.GetProperty("url").GetString());
        Assert.Equal("high", imageUrl.GetProperty("detail").GetString());
        var call = messages[3].GetProperty("tool_calls")[0];
        Assert.Equal("c1", call.GetProperty("id").GetString());
        Assert.Equal("weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.Equal("c1", messages[4].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", messages[4].GetProperty("content").GetString());
        Assert.Equal("thanks", messages[5].GetProperty("content").GetString());
        Assert.False(body.TryGetProperty("stream", out _));
    }

    [Fact]
    public async Task ToolCallsInTheHistoryGoBackToTheModelWithTheArgumentTextItWrote()
    {
        await _provider.GetResponseAsync(
        [
            new(ChatRole.User, "hi"),
            new(ChatRole.Assistant, [new TextContent("Let me check."), FunctionCallArguments.CreateCall("c1", "weather", """{"city": "Oslo"}"""), FunctionCallArguments.CreateCall("c2", "time", "not json")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny"), new FunctionResultContent("c2", "noon")]),
        ], new ChatOptions { ModelId = "m1" });

        var assistant = _upstream.Requests.Last().Body.GetProperty("messages")[1];
        Assert.Equal("Let me check.", assistant.GetProperty("content").GetString());
        var calls = assistant.GetProperty("tool_calls");
        Assert.Equal("""{"city": "Oslo"}""", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("not json", calls[1].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task FunctionToolsAreSentWithTheirSchemasAsWrittenWithToolChoiceAndStreamOptions()
    {
        const string schema = """{"type":"object","properties":{"q":{"type":"string"}}}""";
        var options = new ChatOptions
        {
            ModelId = "m1",
            Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Find things.", JsonDocument.Parse(schema).RootElement)],
            ToolMode = ChatToolMode.RequireSpecific("lookup"),
            AllowMultipleToolCalls = false,
            Temperature = 0.2f,
        };

        await foreach (var _ in _provider.GetStreamingResponseAsync([new(ChatRole.User, "hi")], options))
        {
        }

        var body = _upstream.Requests.Last().Body;
        var function = body.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("lookup", function.GetProperty("name").GetString());
        Assert.Equal("Find things.", function.GetProperty("description").GetString());
        // The caller's schema, not one with required/additionalProperties added.
        Assert.Equal(schema, function.GetProperty("parameters").GetRawText());
        Assert.Equal("lookup", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("0.2", body.GetProperty("temperature").GetRawText());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task AnAnswerWithToolCallsAndDetailedUsageIsReadCompletelyAndKeepsTheModelsArgumentText()
    {
        _upstream.RespondWith(StubReply.Raw("""
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m1","system_fingerprint":"x",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\"city\": \"Oslo\"}"}},
                {"id":"call_b","type":"function","function":{"name":"time","arguments":"not json"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,
                      "prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":20,"audio_tokens":0}}}
            """));

        var response = await _provider.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" });

        Assert.Equal("chatcmpl-1", response.ResponseId);
        Assert.Equal("m1", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), response.CreatedAt);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.Single().Contents.OfType<FunctionCallContent>().ToArray();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId).ToArray());
        Assert.Equal("Oslo", calls[0].Arguments!["city"]?.ToString());
        Assert.Equal("""{"city": "Oslo"}""", FunctionCallArguments.ToJson(calls[0]));
        Assert.Equal("not json", FunctionCallArguments.ToJson(calls[1]));
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(30, response.Usage.OutputTokenCount);
        Assert.Equal(42, response.Usage.TotalTokenCount);
        Assert.Equal(8, response.Usage.CachedInputTokenCount);
        Assert.Equal(20, response.Usage.ReasoningTokenCount);
    }

    [Fact]
    public async Task ARefusalIsTheAnswersText()
    {
        _upstream.RespondWith(StubReply.Raw("""
            {"id":"r","object":"chat.completion","model":"m1","created":1,"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}
            """));

        var response = await _provider.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" });

        Assert.Equal("I can't help with that.", response.Text);
        Assert.Null(response.Usage);
    }

    [Fact]
    public async Task StreamedToolCallFragmentsBecomeOneWholeCallWithTheModelsArgumentText()
    {
        _upstream.RespondWith(StubReply.Raw("""
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[{"index":0,"delta":{"content":"Checking. "},"finish_reason":null}]}
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]},"finish_reason":null}]}
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": "}}]},"finish_reason":null}]}
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]},"finish_reason":null}]}
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            {"id":"s","object":"chat.completion.chunk","model":"m1","created":1,"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":2}}}
            [DONE]
            """));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _provider.GetStreamingResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" }))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("Checking. ", response.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        // Fragments are joined: the pipeline only ever sees whole calls.
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_a", call.CallId);
        Assert.Equal("""{"city": "Oslo"}""", FunctionCallArguments.ToJson(call));
        Assert.Equal(5, response.Usage!.InputTokenCount);
        Assert.Equal(2, response.Usage.CachedInputTokenCount);
    }

    [Theory]
    [InlineData("<html>Bad Gateway</html>")]
    [InlineData("""{"unexpected":true}""")]
    public async Task AMalformedAnswerIsABadGatewayNotAnInternalError(string body)
    {
        _upstream.RespondWith(StubReply.Raw(body));

        var error = await Assert.ThrowsAsync<UpstreamProviderException>(() => _provider.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" }));

        Assert.Equal(502, ChatErrorTranslator.Translate(error).StatusCode);
    }

    [Fact]
    public async Task AStreamTheProviderBreaksOffIsABadGateway()
    {
        _upstream.RespondWith(new StubReply { Content = "one two three four five six", BreakAfterEvents = 3 });

        var error = await Assert.ThrowsAsync<UpstreamProviderException>(async () =>
        {
            await foreach (var _ in _provider.GetStreamingResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" }))
            {
            }
        });

        Assert.Equal(502, ChatErrorTranslator.Translate(error).StatusCode);
    }

    [Fact]
    public async Task AnAzureOpenAIProviderSendsTheKeyBothWaysAndNamesItselfForTelemetry()
    {
        var azure = OpenAIProviderChatClient.Create("azure", new ProviderOptions
        {
            Type = ProviderTypes.AzureOpenAI, Endpoint = _upstream.BaseUrl, ApiKey = "azure-key", Models = ["my-deployment"],
        }, new HttpClient());

        var response = await azure.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "my-deployment" });

        Assert.Equal("Hello from the stub.", response.Text);
        var request = _upstream.Requests.Last();
        Assert.Equal("my-deployment", request.Model);
        Assert.Equal("Bearer azure-key", request.Authorization);
        Assert.Equal("azure-key", request.ApiKey);
        Assert.Equal("azure.ai.openai", azure.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.False(ChatProviderFactory.IsServable("azure", new ProviderOptions { Type = ProviderTypes.AzureOpenAI, ApiKey = "k" }));
    }

    [Fact]
    public async Task AnErrorStatusNamesTheStatusAndTheProvidersMessage()
    {
        _upstream.RespondWith(StubReply.Error((int)HttpStatusCode.BadRequest, "bad things"));

        var error = await Assert.ThrowsAsync<UpstreamProviderException>(() => _provider.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" }));

        Assert.Equal(400, error.UpstreamStatus);
        Assert.Contains("bad things", error.Message);
    }
}
