using System.ClientModel;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Embeddings;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

/// <summary>
/// The official OpenAI .NET SDK against the Api, as an application would use it: chat, streaming
/// with usage, a client function's round trip, embeddings, and errors as the SDK surfaces them.
/// </summary>
public sealed class OpenAISdkTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "The current weather in a city.", BinaryData.FromString("""
        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}
        """));

    [Fact]
    public async Task ChatCompletesThroughTheSdk()
    {
        ChatCompletion completion = await api.CreateOpenAIClient().GetChatClient("offline").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hello from the SDK")]);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Contains("Hello from the SDK", completion.Content[0].Text);
        Assert.Equal("offline", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 0 && completion.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task StreamingChatEndsWithTheUsageTheSdkAskedFor()
    {
        var client = api.CreateOpenAIClient().GetChatClient("offline");
        var options = new ChatCompletionOptions { Temperature = 0 };
        var text = new StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("stream with usage please")], options))
        {
            updates++;
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }
        ChatCompletion whole = await client.CompleteChatAsync([new UserChatMessage("stream with usage please")], options);

        Assert.True(updates > 2, $"expected several updates, got {updates}");
        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public async Task AClientFunctionMakesTheRoundTrip()
    {
        var client = api.CreateOpenAIClient().GetChatClient("offline");
        List<ChatMessage> messages = [new UserChatMessage("Oslo")];

        ChatCompletion call = await client.CompleteChatAsync(messages,
            new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") });

        Assert.Equal(ChatFinishReason.ToolCalls, call.FinishReason);
        var toolCall = Assert.Single(call.ToolCalls);
        Assert.Equal("get_weather", toolCall.FunctionName);
        Assert.Equal("Oslo", JsonDocument.Parse(toolCall.FunctionArguments).RootElement.GetProperty("city").GetString());

        messages.Add(new AssistantChatMessage(call));
        messages.Add(new ToolChatMessage(toolCall.Id, """{"temperature_c":21,"sky":"clear"}"""));
        ChatCompletion answer = await client.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { Weather } });

        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Empty(answer.ToolCalls);
        Assert.Contains("get_weather returned", answer.Content[0].Text);
        Assert.Contains("\"temperature_c\":21", answer.Content[0].Text);
    }

    [Fact]
    public async Task EmbeddingsComeBackAsTheSdkDecodesThem()
    {
        var client = api.CreateOpenAIClient().GetEmbeddingClient("text-embedding-3-small");

        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["first text", "second text"], new EmbeddingGenerationOptions { Dimensions = 32 });
        OpenAIEmbedding again = await client.GenerateEmbeddingAsync("first text", new EmbeddingGenerationOptions { Dimensions = 32 });

        Assert.Equal([0, 1], embeddings.Select(e => e.Index));
        var first = embeddings[0].ToFloats().ToArray();
        Assert.Equal(32, first.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(first), 1e-5f);
        Assert.NotEqual(first, embeddings[1].ToFloats().ToArray());
        Assert.Equal(first, again.ToFloats().ToArray());
        Assert.Equal("text-embedding-3-small", embeddings.Model);
        Assert.True(embeddings.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task AProvidersEmbeddingsPassThroughTheGatewayUnchanged()
    {
        var input = "through the gateway " + Guid.NewGuid();

        OpenAIEmbedding embedding = await api.CreateOpenAIClient().GetEmbeddingClient(ApiFactory.StubEmbeddingModel)
            .GenerateEmbeddingAsync(input, new EmbeddingGenerationOptions { Dimensions = 6 });

        Assert.Equal(StubWire.Vector(input, 0, 6), embedding.ToFloats().ToArray());
    }

    [Fact]
    public async Task AnUnknownModelIsAClientResultExceptionWithStatusAndCode()
    {
        var chat = await Assert.ThrowsAsync<ClientResultException>(() => api.CreateOpenAIClient().GetChatClient("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        var embeddings = await Assert.ThrowsAsync<ClientResultException>(() => api.CreateOpenAIClient().GetEmbeddingClient("no-such-model").GenerateEmbeddingAsync("hi"));

        foreach (var error in new[] { chat, embeddings })
        {
            Assert.Equal(404, error.Status);
            Assert.Contains("model_not_found", error.Message);
            Assert.Contains("'no-such-model' does not exist", error.Message);
        }
    }

    [Fact]
    public async Task AnInvalidParameterAndABadKeyAreClientResultExceptionsWithTheirStatus()
    {
        var invalid = await Assert.ThrowsAsync<ClientResultException>(() => api.CreateOpenAIClient().GetChatClient("offline")
            .CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 3 }));
        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() => api.CreateOpenAIClient("pk-not-a-key").GetChatClient("offline")
            .CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, invalid.Status);
        Assert.Contains("'temperature' must be between 0 and 2", invalid.Message);
        Assert.Equal(401, unauthorized.Status);
        Assert.Contains("invalid_api_key", unauthorized.Message);
        Assert.Equal(("invalid_value", "temperature"), (Error(invalid, "code"), Error(invalid, "param")));
        Assert.Equal("invalid_api_key", Error(unauthorized, "code"));
    }

    /// <summary>A field of the error object in the response the exception carries.</summary>
    private static string? Error(ClientResultException e, string field) =>
        JsonDocument.Parse(e.GetRawResponse()!.Content).RootElement.GetProperty("error").GetProperty(field).GetString();
}
