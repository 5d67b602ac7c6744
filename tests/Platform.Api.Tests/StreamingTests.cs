using System.Text;
using OpenAI.Chat;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class StreamingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task StreamedAnswerArrivesInSeveralChunksWithUsageLast()
    {
        api.Upstream.RespondWith(new StubReply { Content = "one two three four five", PromptTokens = 9, CompletionTokens = 5, CachedTokens = 3 });
        var client = api.CreateChatClient(ApiFactory.StubModel);

        var text = new StringBuilder();
        var contentChunks = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(ApiHttp.Unique("count"))]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                contentChunks++;
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("one two three four five ", text.ToString());
        Assert.True(contentChunks >= 5, $"expected several content chunks, got {contentChunks}");
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(9, usage.InputTokenCount);
        Assert.Equal(5, usage.OutputTokenCount);
        Assert.Equal(3, usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task SseStreamHasOpenAIChunksAndEndsWithDone()
    {
        api.Upstream.RespondWith(StubReply.Text("alpha beta"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("go"), ""","stream":true,"stream_options":{"include_usage":true}"""));
        var (events, done) = await response.ReadSseAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(done);
        Assert.All(events, e => Assert.Equal("chat.completion.chunk", e.GetProperty("object").GetString()));
        Assert.Equal("assistant", events[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Single(events.Select(e => e.GetProperty("id").GetString()).Distinct());
        var last = events[^1];
        Assert.Empty(last.GetProperty("choices").EnumerateArray());
        Assert.Equal(18, last.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task UsageChunkIsLeftOutUnlessRequested()
    {
        api.Upstream.RespondWith(StubReply.Text("no usage please"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("go"), ""","stream":true"""));
        var (events, done) = await response.ReadSseAsync();

        Assert.True(done);
        Assert.DoesNotContain(events, e => e.TryGetProperty("usage", out var u) && u.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal("stop", events[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task UpstreamErrorBeforeTheFirstChunkIsAnOrdinaryErrorResponse()
    {
        api.Upstream.RespondWith(StubReply.Error(503, "overloaded"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("go"), ""","stream":true"""));
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("503", error.GetProperty("message").GetString());
    }
}
