using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class ToolCallTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool(
        "get_weather", "Current weather for a city.",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    [Fact]
    public async Task ClientToolCallComesBackUntouchedAndItsResultIsAnswered()
    {
        const string arguments = """{"city":"Paris","unit":"celsius"}""";
        api.Upstream.RespondWith(r => r.Body.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("role").GetString() == "tool")
            ? StubReply.Text("It is 21 degrees in Paris.")
            : StubReply.ToolCall("call_abc123", "get_weather", arguments));
        var client = api.CreateChatClient(ApiFactory.StubModel);
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        List<ChatMessage> conversation = [new UserChatMessage(ApiHttp.Unique("Weather in Paris?"))];

        ChatCompletion first = await client.CompleteChatAsync(conversation, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("call_abc123", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal(arguments, call.FunctionArguments.ToString());

        conversation.Add(new AssistantChatMessage(first));
        conversation.Add(new ToolChatMessage(call.Id, """{"temperature":21}"""));
        ChatCompletion second = await client.CompleteChatAsync(conversation, options);

        Assert.Equal("It is 21 degrees in Paris.", second.Content[0].Text);
        var forwarded = api.Upstream.Requests.Last().Body;
        var tool = forwarded.GetProperty("tools")[0];
        Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        var messages = forwarded.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal("call_abc123", messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_abc123", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("""{"temperature":21}""", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public async Task StreamedToolCallArrivesAsIdAndNameThenArgumentFragments()
    {
        const string arguments = """{"city":"Lyon, a city with a rather long description to make several fragments","days":3}""";
        api.Upstream.RespondWith(StubReply.ToolCall("call_stream1", "get_weather", arguments));
        using var http = api.CreateAuthorizedClient();
        var body = ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("Weather in Lyon?"),
            ""","stream":true,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"tool_choice":{"type":"function","function":{"name":"get_weather"}}""");

        using var response = await http.PostChatAsync(body);
        var (events, done) = await response.ReadSseAsync();

        Assert.True(done);
        var deltas = events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(c => c.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.True(deltas.Count >= 3, $"expected a header and several fragments, got {deltas.Count}");
        Assert.Equal("call_stream1", deltas[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", deltas[0].GetProperty("function").GetProperty("name").GetString());
        Assert.All(deltas, d => Assert.Equal(0, d.GetProperty("index").GetInt32()));
        Assert.All(deltas.Skip(1), d => Assert.False(d.TryGetProperty("id", out _)));
        var joined = string.Concat(deltas.Select(d => d.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal(arguments, joined);
        Assert.Contains(events, e => e.GetProperty("choices").EnumerateArray().Any(c => c.GetProperty("finish_reason").GetString() == "tool_calls"));
        var forwardedChoice = api.Upstream.Requests.Last().Body.GetProperty("tool_choice");
        Assert.Equal("get_weather", forwardedChoice.GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task OpenAIClientReassemblesAStreamedToolCall()
    {
        api.Upstream.RespondWith(StubReply.ToolCall("call_sdk", "get_weather", """{"city":"Nice"}"""));
        var client = api.CreateChatClient(ApiFactory.StubModel);
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };

        var id = ""; var name = ""; var args = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(ApiHttp.Unique("Nice?"))], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                id += call.ToolCallId; name += call.FunctionName; args.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal("call_sdk", id);
        Assert.Equal("get_weather", name);
        Assert.Equal("Nice", JsonDocument.Parse(args.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal("required", api.Upstream.Requests.Last().Body.GetProperty("tool_choice").GetString());
    }
}
