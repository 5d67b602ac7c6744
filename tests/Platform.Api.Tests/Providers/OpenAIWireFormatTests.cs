using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Api.Providers.OpenAICompatible;

namespace Platform.Api.Tests.Providers;

/// <summary>The OpenAI provider writes request bodies and reads answers itself, below the SDK's protocol method.</summary>
public sealed class OpenAIWireFormatTests
{
    private static JsonElement WriteBody(IEnumerable<ChatMessage> messages, ChatOptions? options = null, bool stream = false)
    {
        using var content = ChatCompletionRequestWriter.Write("m1", messages, options, stream);
        using var buffer = new MemoryStream();
        content.WriteTo(buffer);
        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    [Fact]
    public void ARequestCarriesEveryRoleToolCallsAndResultsAsOpenAIExpectsThem()
    {
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png") { AdditionalProperties = new() { [ChatOptionKeys.ImageDetail] = "high" } };
        var body = WriteBody(
        [
            new(ChatRole.System, "sys"),
            new(ChatCompletionRequestWriter.Developer, "dev"),
            new(ChatRole.User, [new TextContent("look"), image]) { AuthorName = "ann" },
            new(ChatRole.Assistant, [FunctionCallArguments.CreateCall("c1", "weather", """{"city":"Oslo"}""")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
            new(ChatRole.User, "thanks"),
        ]);

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
        Assert.Equal("""{"city":"Oslo"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("c1", messages[4].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", messages[4].GetProperty("content").GetString());
        Assert.Equal("thanks", messages[5].GetProperty("content").GetString());
        Assert.False(body.TryGetProperty("stream", out _));
    }

    [Fact]
    public void FunctionToolsToolChoiceAndStreamOptionsAreWritten()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"}}}""").RootElement;
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Find things.", schema)],
            ToolMode = ChatToolMode.RequireSpecific("lookup"),
            AllowMultipleToolCalls = false,
            Temperature = 0.2f,
        };

        var body = WriteBody([new(ChatRole.User, "hi")], options, stream: true);

        var function = body.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("lookup", function.GetProperty("name").GetString());
        Assert.Equal("Find things.", function.GetProperty("description").GetString());
        Assert.Equal("string", function.GetProperty("parameters").GetProperty("properties").GetProperty("q").GetProperty("type").GetString());
        Assert.Equal("lookup", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("0.2", body.GetProperty("temperature").GetRawText());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void AnAnswerWithToolCallsAndDetailedUsageIsReadCompletely()
    {
        var response = ChatCompletionResponseReader.ReadCompletion("""
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m1","system_fingerprint":"x",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}},
                {"id":"call_b","type":"function","function":{"name":"time","arguments":"not json"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,
                      "prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":20,"audio_tokens":0}}}
            """u8);

        Assert.Equal("chatcmpl-1", response.ResponseId);
        Assert.Equal("m1", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), response.CreatedAt);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.Single().Contents.OfType<FunctionCallContent>().ToArray();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId).ToArray());
        Assert.Equal("Oslo", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal("not json", FunctionCallArguments.ToJson(calls[1]));
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(30, response.Usage.OutputTokenCount);
        Assert.Equal(42, response.Usage.TotalTokenCount);
        Assert.Equal(8, response.Usage.CachedInputTokenCount);
        Assert.Equal(20, response.Usage.ReasoningTokenCount);
    }

    [Fact]
    public void ARefusalIsTheAnswersText()
    {
        var response = ChatCompletionResponseReader.ReadCompletion("""
            {"id":"r","model":"m1","created":1,"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}
            """u8);

        Assert.Equal("I can't help with that.", response.Text);
        Assert.Null(response.Usage);
    }

    [Fact]
    public void StreamedToolCallFragmentsBecomeWholeCallsWhenTheChoiceFinishes()
    {
        var assembler = new StreamingToolCallAssembler();
        string[] chunks =
        [
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""",
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{"content":"Checking. "},"finish_reason":null}]}""",
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]},"finish_reason":null}]}""",
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}""",
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]},"finish_reason":null}]}""",
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"s","model":"m1","created":1,"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":2}}}""",
        ];

        var updates = chunks.Select(c => ChatCompletionResponseReader.ReadChunk(System.Text.Encoding.UTF8.GetBytes(c), assembler)).ToArray();

        Assert.NotNull(updates[0]); // the role announcement
        Assert.Equal("Checking. ", updates[1]!.Text);
        // Fragments are held back: the pipeline's middleware only ever sees whole calls.
        Assert.All(updates[2..5], Assert.Null);
        Assert.Equal(ChatFinishReason.ToolCalls, updates[5]!.FinishReason);
        var call = Assert.Single(updates[5]!.Contents.OfType<FunctionCallContent>());
        Assert.Equal("call_a", call.CallId);
        Assert.Equal("""{"city":"Oslo"}""", FunctionCallArguments.ToJson(call));
        var usage = Assert.Single(updates[6]!.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(2, usage.CachedInputTokenCount);
    }

    [Fact]
    public void AChunkWithNothingForThePipelineIsDropped()
    {
        var update = ChatCompletionResponseReader.ReadChunk(
            """{"id":"s","model":"m1","created":1,"choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}"""u8, new StreamingToolCallAssembler());

        Assert.Null(update);
    }

    [Fact]
    public void ABodyThatIsNotJsonFailsWithAJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => ChatCompletionResponseReader.ReadCompletion("<html>Bad Gateway</html>"u8));
    }

    [Fact]
    public void AMalformedOrBrokenOffAnswerIsABadGatewayNotAnInternalError()
    {
        foreach (var failure in new Exception[] { new JsonException("bad"), new IOException("reset") })
        {
            var translated = UpstreamErrorTranslator.Translate("stub", failure, CancellationToken.None);

            Assert.NotNull(translated);
            Assert.Equal(502, Platform.Api.Chat.ChatErrorTranslator.Translate(translated).StatusCode);
        }
    }
}
