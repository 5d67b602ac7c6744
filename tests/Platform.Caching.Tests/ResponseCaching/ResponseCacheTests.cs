using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace Platform.Caching.Tests.ResponseCaching;

public sealed class ResponseCacheTests : IAsyncLifetime
{
    private CachingApiFactory _api = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _api = new CachingApiFactory(await CachingApiFactory.CreateSettingsAsync());
        _client = _api.CreateClient();
        await _api.GetStartedCacheAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private static string Prompt(string text) => $"{text} {Guid.NewGuid():N}";

    [Fact]
    public async Task HundredConcurrentIdenticalRequestsReachTheModelOnce()
    {
        var body = ChatCalls.Request(Prompt("stampede " + CountingUpstream.SlowMarker));

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => ChatCalls.PostAsync(_client, body)));

        Assert.Equal(1, _api.Upstream.Calls);
        Assert.All(results, r => Assert.Equal(200, r.Status));
        Assert.Single(results.Select(r => r.Text).Distinct());
        Assert.Equal(1, results.Count(r => r.Cache == "miss"));
        Assert.Equal(99, results.Count(r => r.Cache == "hit"));
    }

    [Fact]
    public async Task ConcurrentIdenticalStreamingMissesReachTheModelOnceAndAllGetTheWholeAnswer()
    {
        var body = ChatCalls.Request(Prompt("stream stampede " + CountingUpstream.SlowStreamMarker), stream: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ChatCalls.PostAsync(_client, body)));

        Assert.Equal(1, _api.Upstream.Calls);
        Assert.All(results, r => Assert.Equal(200, r.Status));
        Assert.All(results, r => Assert.EndsWith("data: [DONE]", r.Body.TrimEnd()));
        Assert.Single(results.Select(r => r.Text).Distinct());
        Assert.Contains(" more", results[0].Text);
        Assert.Equal(1, results.Count(r => r.Cache == "miss"));
        Assert.Equal(19, results.Count(r => r.Cache == "hit"));
    }

    [Fact]
    public async Task WhenTheLeadingStreamBreaksTheWaitingStreamsCallTheModelThemselves()
    {
        var body = ChatCalls.Request(Prompt("stream stampede " + CountingUpstream.BrokenStreamMarker), stream: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ChatCalls.PostAsync(_client, body)));

        // Nothing broken is shared: every caller ends up with its own (here also broken) model call.
        Assert.Equal(5, _api.Upstream.Calls);
        Assert.All(results, r => Assert.Equal("miss", r.Cache));
    }

    [Fact]
    public async Task RepeatedRequestIsServedFromCacheWithItsUsage()
    {
        var body = ChatCalls.Request(Prompt("repeat"));

        var first = await ChatCalls.PostAsync(_client, body);
        var second = await ChatCalls.PostAsync(_client, body);

        Assert.Equal(("miss", "hit"), (first.Cache, second.Cache));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Usage!["total_tokens"]!.GetValue<int>(), second.Usage!["total_tokens"]!.GetValue<int>());
        Assert.Equal(1, _api.Upstream.Calls);
    }

    [Fact]
    public async Task ToolsToolChoiceAndOptionsThatChangeTheAnswerAreMisses()
    {
        var prompt = Prompt("weather in Paris");
        JsonObject[] variants =
        [
            ChatCalls.Request(prompt),
            ChatCalls.Request(prompt, customize: b => b["tools"] = new JsonArray(ChatCalls.Tool("get_weather", "city"))),
            ChatCalls.Request(prompt, customize: b => b["tools"] = new JsonArray(ChatCalls.Tool("get_weather", "town"))),
            ChatCalls.Request(prompt, customize: b => b["tools"] = new JsonArray(ChatCalls.Tool("get_forecast", "city"))),
            ChatCalls.Request(prompt, customize: b =>
            {
                b["tools"] = new JsonArray(ChatCalls.Tool("get_weather", "city"));
                b["tool_choice"] = "required";
            }),
            ChatCalls.Request(prompt, customize: b => b["temperature"] = 0),
            ChatCalls.Request(prompt, customize: b => b["max_tokens"] = 50),
            ChatCalls.Request(prompt, customize: b => b["seed"] = 7),
            ChatCalls.Request(prompt, customize: b => b["stop"] = new JsonArray("."))
        ];

        foreach (var variant in variants)
        {
            Assert.Equal("miss", (await ChatCalls.PostAsync(_client, variant)).Cache);
        }
        foreach (var variant in variants)
        {
            Assert.Equal("hit", (await ChatCalls.PostAsync(_client, variant)).Cache);
        }
        Assert.Equal(variants.Length, _api.Upstream.Calls);
    }

    [Fact]
    public async Task NonZeroTemperatureBypassesTheCacheByDefault()
    {
        var body = ChatCalls.Request(Prompt("creative"), customize: b => b["temperature"] = 0.9);

        Assert.Equal("bypass", (await ChatCalls.PostAsync(_client, body)).Cache);
        Assert.Equal("bypass", (await ChatCalls.PostAsync(_client, body)).Cache);
        Assert.Equal(2, _api.Upstream.Calls);
    }

    [Fact]
    public async Task TenantsNeverShareAnswers()
    {
        var first = await CreateKeyAsync("tenant-a");
        var second = await CreateKeyAsync("tenant-b");
        var body = ChatCalls.Request(Prompt("tenant secret"));

        Assert.Equal("miss", (await ChatCalls.PostAsync(_client, body, bearer: first)).Cache);
        Assert.Equal("miss", (await ChatCalls.PostAsync(_client, body, bearer: second)).Cache);
        Assert.Equal("miss", (await ChatCalls.PostAsync(_client, body)).Cache);
        Assert.Equal("hit", (await ChatCalls.PostAsync(_client, body, bearer: first)).Cache);
        Assert.Equal(3, _api.Upstream.Calls);
    }

    [Fact]
    public async Task StreamingRequestReplaysACachedAnswerAsSse()
    {
        var prompt = Prompt("replay as stream");
        var json = await ChatCalls.PostAsync(_client, ChatCalls.Request(prompt));

        var streamed = await ChatCalls.PostAsync(_client, ChatCalls.Request(prompt, stream: true));

        Assert.Equal("hit", streamed.Cache);
        Assert.StartsWith("data:", streamed.Body);
        Assert.EndsWith("data: [DONE]", streamed.Body.TrimEnd());
        Assert.Equal(json.Text, streamed.Text);
        Assert.Equal(json.Usage!["completion_tokens"]!.GetValue<int>(), streamed.Usage!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(1, _api.Upstream.Calls);
    }

    [Fact]
    public async Task CompletedStreamIsReusedByANonStreamingRequest()
    {
        var prompt = Prompt("stream then json");
        var streamed = await ChatCalls.PostAsync(_client, ChatCalls.Request(prompt, stream: true));

        var json = await ChatCalls.PostAsync(_client, ChatCalls.Request(prompt));

        Assert.Equal(("miss", "hit"), (streamed.Cache, json.Cache));
        Assert.Equal(streamed.Text, json.Text);
        Assert.Equal(1, _api.Upstream.Calls);
    }

    [Fact]
    public async Task OpenAISdkStreamingClientReceivesTheCachedToolCall()
    {
        var prompt = Prompt("call the tool");
        var body = ChatCalls.Request(prompt, customize: b =>
        {
            b["tools"] = new JsonArray(ChatCalls.Tool("get_weather", "city"));
            b["tool_choice"] = "required";
        });
        var key = await CreateKeyAsync("sdk");
        var first = await ChatCalls.PostAsync(_client, body, bearer: key);
        var call = JsonNode.Parse(first.Body)!["choices"]![0]!["message"]!["tool_calls"]![0]!;

        var sdk = new ChatClient("offline", new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(_client.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(_client),
        });
        var tool = ChatTool.CreateFunctionTool("get_weather", "Looks up city", BinaryData.FromString(
            """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var updates = new List<StreamingChatToolCallUpdate>();
        await foreach (var update in sdk.CompleteChatStreamingAsync([new UserChatMessage(prompt)], new ChatCompletionOptions
        {
            Tools = { tool },
            ToolChoice = ChatToolChoice.CreateRequiredChoice(),
        }))
        {
            updates.AddRange(update.ToolCallUpdates);
        }

        Assert.Equal(1, _api.Upstream.Calls);
        Assert.Equal(call["function"]!["name"]!.GetValue<string>(), updates.First(u => u.FunctionName is not null).FunctionName);
        Assert.Equal(call["function"]!["arguments"]!.GetValue<string>(), string.Concat(updates.Select(u => u.FunctionArgumentsUpdate?.ToString())));
    }

    [Fact]
    public async Task NoCacheSkipsTheReadButRefreshesTheEntry()
    {
        var body = ChatCalls.Request(Prompt("no-cache"));
        await ChatCalls.PostAsync(_client, body);

        Assert.Equal("miss", (await ChatCalls.PostAsync(_client, body, cacheControl: "no-cache")).Cache);
        Assert.Equal("hit", (await ChatCalls.PostAsync(_client, body)).Cache);
        Assert.Equal(2, _api.Upstream.Calls);
    }

    [Fact]
    public async Task NoStoreNeitherReadsNorWrites()
    {
        var body = ChatCalls.Request(Prompt("no-store"));

        Assert.Equal("bypass", (await ChatCalls.PostAsync(_client, body, cacheControl: "no-store")).Cache);
        Assert.Equal("miss", (await ChatCalls.PostAsync(_client, body)).Cache);
        Assert.Equal("bypass", (await ChatCalls.PostAsync(_client, body, cacheControl: "no-store")).Cache);
        Assert.Equal(3, _api.Upstream.Calls);
    }

    [Fact]
    public async Task FailedModelCallIsNotCached()
    {
        var body = ChatCalls.Request(Prompt("flaky " + CountingUpstream.FailMarker));

        Assert.True((await ChatCalls.PostAsync(_client, body)).Status >= 500);
        var retry = await ChatCalls.PostAsync(_client, body);

        Assert.Equal((200, "miss"), (retry.Status, retry.Cache));
        Assert.Equal(2, _api.Upstream.Calls);
    }

    [Fact]
    public async Task BrokenStreamIsNotStored()
    {
        var body = ChatCalls.Request(Prompt("dropped " + CountingUpstream.BrokenStreamMarker), stream: true);

        await ChatCalls.PostAsync(_client, body);
        await ChatCalls.PostAsync(_client, body);

        Assert.Equal(2, _api.Upstream.Calls);
    }

    [Fact]
    public async Task AbandonedStreamIsNotStored()
    {
        var body = ChatCalls.Request(Prompt("abandoned " + CountingUpstream.SlowStreamMarker), stream: true);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) })
        using (var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            Assert.True(await stream.ReadAsync(new byte[64]) > 0);
        }
        // Long enough for the upstream stream to have ended, had the server kept reading it.
        await Task.Delay(1000);

        var again = await ChatCalls.PostAsync(_client, body);

        Assert.Equal("miss", again.Cache);
        Assert.Equal(2, _api.Upstream.Calls);
    }

    [Fact]
    public async Task AdminCanInvalidateByTagAndStatsReportHits()
    {
        var body = ChatCalls.Request(Prompt("invalidate me"));
        await ChatCalls.PostAsync(_client, body);
        Assert.Equal("hit", (await ChatCalls.PostAsync(_client, body)).Cache);

        var anonymous = await _client.DeleteAsync("/v1/cache?tag=model:offline");
        Assert.Contains(anonymous.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal("hit", (await ChatCalls.PostAsync(_client, body)).Cache);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/cache?tag=model:offline");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CachingApiFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(delete)).StatusCode);
        Assert.Equal("miss", (await ChatCalls.PostAsync(_client, body)).Cache);

        // The statistics cover every tenant's traffic: admin only.
        Assert.Contains((await _client.GetAsync("/v1/cache/stats")).StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        using var statsRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/cache/stats");
        statsRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CachingApiFactory.AdminKey);
        using var statsResponse = await _client.SendAsync(statsRequest);
        var stats = (await statsResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(stats["hits"]!.GetValue<long>() >= 2);
        Assert.True(stats["misses"]!.GetValue<long>() >= 2);
        Assert.InRange(stats["hit_rate"]!.GetValue<double>(), 0.01, 0.99);
        Assert.True(stats["l1"]!["hits"]!.GetValue<long>() >= 2);
        Assert.True(stats["entries"]!.GetValue<long>() >= 1);
        Assert.True(stats["bytes"]!.GetValue<long>() > 0);
    }

    private async Task<string> CreateKeyAsync(string tenant) => (await ChatCalls.CreateKeyAsync(_client, tenant)).Key;
}
