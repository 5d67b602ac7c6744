using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class OfflineProviderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly ChatTool Forecast = ChatTool.CreateFunctionTool("forecast", "Weather forecast.", BinaryData.FromString("""
        {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":2},"units":{"type":"string","enum":["metric","imperial"]},"alerts":{"type":"boolean"}},"required":["city"]}
        """));

    [Theory]
    [InlineData("offline")]
    [InlineData("gpt-4o-mini")]
    public async Task OfflineModelSaysWhatItIsAndReportsUsage(string model)
    {
        ChatCompletion completion = await api.CreateChatClient(model).CompleteChatAsync([new UserChatMessage("Hello there")]);

        Assert.Contains("offline", completion.Content[0].Text);
        Assert.Contains("Hello there", completion.Content[0].Text);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task OfflineAnswersAreDeterministic()
    {
        var client = api.CreateChatClient("offline");

        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage("same question")]);
        ChatCompletion second = await client.CompleteChatAsync([new UserChatMessage("same question")]);

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task OfflineModelStreamsInSeveralChunksWithUsage()
    {
        var text = new StringBuilder();
        var chunks = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in api.CreateChatClient("offline").CompleteChatStreamingAsync([new UserChatMessage("stream please")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                chunks++;
            }
            usage ??= update.Usage;
        }

        ChatCompletion whole = await api.CreateChatClient("offline").CompleteChatAsync([new UserChatMessage("stream please")]);
        Assert.True(chunks > 3, $"expected several chunks, got {chunks}");
        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ForcedFunctionGetsACallWithArgumentsBuiltFromItsSchema()
    {
        var options = new ChatCompletionOptions { Tools = { Forecast }, ToolChoice = ChatToolChoice.CreateFunctionChoice("forecast") };

        ChatCompletion completion = await api.CreateChatClient("offline").CompleteChatAsync([new UserChatMessage("Oslo")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("forecast", call.FunctionName);
        Assert.StartsWith("call_offline_", call.Id);
        var arguments = JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement;
        Assert.Equal("Oslo", arguments.GetProperty("city").GetString());
        Assert.Equal(2, arguments.GetProperty("days").GetInt32());
        Assert.Equal("metric", arguments.GetProperty("units").GetString());
        Assert.True(arguments.GetProperty("alerts").GetBoolean());
    }

    [Fact]
    public async Task RequiredToolChoiceMakesTheOfflineModelCallATool()
    {
        var options = new ChatCompletionOptions { Tools = { Forecast }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };

        ChatCompletion completion = await api.CreateChatClient("offline").CompleteChatAsync([new UserChatMessage("Rome")], options);

        Assert.Equal("forecast", Assert.Single(completion.ToolCalls).FunctionName);
    }

    [Fact]
    public async Task WithoutForcingTheOfflineModelAnswersInText()
    {
        var options = new ChatCompletionOptions { Tools = { Forecast } };

        ChatCompletion completion = await api.CreateChatClient("offline").CompleteChatAsync([new UserChatMessage("Rome")], options);

        Assert.Empty(completion.ToolCalls);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task ToolResultIsQuotedInTheOfflineAnswer()
    {
        var client = api.CreateChatClient("offline");
        var options = new ChatCompletionOptions { Tools = { Forecast }, ToolChoice = ChatToolChoice.CreateFunctionChoice("forecast") };
        List<ChatMessage> conversation = [new UserChatMessage("Bergen")];
        ChatCompletion first = await client.CompleteChatAsync(conversation, options);
        conversation.Add(new AssistantChatMessage(first));
        conversation.Add(new ToolChatMessage(first.ToolCalls[0].Id, "rain, 9 degrees"));

        ChatCompletion second = await client.CompleteChatAsync(conversation, options);

        Assert.Empty(second.ToolCalls);
        Assert.Contains("forecast", second.Content[0].Text);
        Assert.Contains("rain, 9 degrees", second.Content[0].Text);
    }

    [Fact]
    public async Task StreamedForcedToolCallFromTheOfflineModelReassembles()
    {
        var options = new ChatCompletionOptions { Tools = { Forecast }, ToolChoice = ChatToolChoice.CreateFunctionChoice("forecast") };
        var name = ""; var args = new StringBuilder();
        await foreach (var update in api.CreateChatClient("offline").CompleteChatStreamingAsync([new UserChatMessage("Turku")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name += call.FunctionName; args.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal("forecast", name);
        Assert.Equal("Turku", JsonDocument.Parse(args.ToString()).RootElement.GetProperty("city").GetString());
    }
}
