using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;
using Platform.Api.Tests.Tools.Infrastructure;
using Platform.Usage;

namespace Platform.Api.Tests.Tools;

/// <summary>
/// The server-side tool loop over a real (scripted) MCP server and the stub model upstream: the Api
/// runs the MCP tools the model calls, then asks the model again.
/// </summary>
public sealed class ToolLoopTests(ToolLoopTests.Factory api) : IClassFixture<ToolLoopTests.Factory>
{
    private static readonly TimeSpan SlowToolDelay = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task ToolCallsTheModelAsksForTogetherRunAtTheSameTime()
    {
        var prompt = ApiHttp.Unique("look up a and b");
        api.Upstream.RespondWith(r => !IsFor(r, prompt) ? StubReply.Text("other")
            : HasToolResults(r) ? StubReply.Text("both looked up")
            : new StubReply { ToolCalls = [new("call_a", "slow_a", "{}"), new("call_b", "slow_b", "{}")] });
        var before = api.Mcp.Calls.Count;

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(Request(prompt, """{"type":"mcp","server_label":"scripted","allowed_tools":["slow_a","slow_b"]}"""));
        var answer = await response.ReadJsonAsync();

        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        Assert.Equal("both looked up", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var calls = api.Mcp.Calls.Skip(before).ToList();
        Assert.Equal(["slow_a", "slow_b"], calls.Select(c => c.Name).Order());
        // Both started before either finished: they overlapped instead of running one after the other.
        Assert.True(calls.Max(c => c.Started) < calls.Min(c => c.Finished),
            $"the calls ran one after the other: {string.Join(", ", calls.Select(c => $"{c.Name} {c.Started:HH:mm:ss.fff}-{c.Finished:HH:mm:ss.fff}"))}");
    }

    [Fact]
    public async Task AModelThatKeepsCallingToolsIsStoppedAfterExactlyTheConfiguredRounds()
    {
        var prompt = ApiHttp.Unique("loop forever");
        api.Upstream.RespondWith(r => !IsFor(r, prompt) ? StubReply.Text("other")
            : r.Body.TryGetProperty("tools", out _) ? StubReply.ToolCall($"call_{Guid.NewGuid():N}", "fast_echo", "{}")
            : StubReply.Text("giving up on tools"));
        var before = api.Mcp.Calls.Count(c => c.Name == "fast_echo");

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(Request(prompt, """{"type":"mcp","server_label":"scripted","allowed_tools":["fast_echo"]}"""));
        var answer = await response.ReadJsonAsync();

        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        Assert.Equal(Factory.MaxToolRounds, api.Mcp.Calls.Count(c => c.Name == "fast_echo") - before);
        var modelCalls = api.Upstream.Requests.Where(r => IsFor(r, prompt)).ToList();
        // One model call per round of tools, then a last one without tools that must answer.
        Assert.Equal(Factory.MaxToolRounds + 1, modelCalls.Count);
        Assert.False(modelCalls[^1].Body.TryGetProperty("tools", out _));
        Assert.Equal("giving up on tools", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task AStreamedToolLoopRecordsTheUsageOfEveryRoundAndReportsTheirSum()
    {
        var prompt = ApiHttp.Unique("stream with a tool");
        api.Upstream.RespondWith(r => !IsFor(r, prompt) ? StubReply.Text("other")
            : HasToolResults(r) ? new StubReply { Content = "the echo came back", PromptTokens = 30, CompletionTokens = 9 }
            : StubReply.ToolCall("call_echo", "fast_echo", "{}") with { PromptTokens = 20, CompletionTokens = 4 });

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(
            Request(prompt, """{"type":"mcp","server_label":"scripted","allowed_tools":["fast_echo"]}""", ""","stream":true,"stream_options":{"include_usage":true}"""));
        var requestId = response.Headers.GetValues("x-request-id").Single();
        var (events, done) = await response.ReadSseAsync();

        Assert.True(done);
        var records = api.Usage.Records.Where(u => u.RequestId == requestId).OrderBy(u => u.CreatedAt).ToList();
        Assert.Equal([(20, 4), (30, 9)], records.Select(u => (u.InputTokens, u.OutputTokens)));
        Assert.All(records, u => Assert.True(u.Streaming));
        Assert.All(records, u => Assert.Equal(UsageRecordStatus.Ok, u.Status));
        Assert.Equal(1, records[0].ToolCalls);
        var usage = events.Last().GetProperty("usage");
        Assert.Equal(50, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(13, usage.GetProperty("completion_tokens").GetInt32());
        var body = string.Join('\n', events.Select(e => e.ToString()));
        Assert.DoesNotContain("call_echo", body);
        Assert.Equal(["stop"], events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String).Select(c => c.GetProperty("finish_reason").GetString()));
    }

    [Fact]
    public async Task EveryMcpToolCallGetsAnExecuteToolSpanInsideTheChatSpan()
    {
        var prompt = ApiHttp.Unique("trace a tool");
        var callId = $"call_{Guid.NewGuid():N}";
        api.Upstream.RespondWith(r => !IsFor(r, prompt) ? StubReply.Text("other")
            : HasToolResults(r) ? StubReply.Text("traced")
            : StubReply.ToolCall(callId, "fast_echo", "{}"));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Platform.Api.Pipeline.ChatPipeline.TelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(Request(prompt, """{"type":"mcp","server_label":"scripted","allowed_tools":["fast_echo"]}"""));

        Assert.True(response.IsSuccessStatusCode, (await response.ReadJsonAsync()).ToString());
        var tool = Assert.Single(spans, s => Equals(s.GetTagItem("gen_ai.tool.call.id"), callId));
        Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
        Assert.Contains("fast_echo", (string)tool.GetTagItem("gen_ai.tool.name")!, StringComparison.Ordinal);
        // The chat span the caller waits on holds the tool call, so a trace shows the whole turn.
        var ancestors = new List<Activity>();
        for (var parent = tool.ParentSpanId; spans.FirstOrDefault(s => s.SpanId == parent) is { } span; parent = span.ParentSpanId)
        {
            ancestors.Add(span);
        }
        Assert.True(ancestors.Any(s => Equals(s.GetTagItem("gen_ai.operation.name"), "chat")),
            "no chat span above the tool span: " + string.Join(" < ", ancestors.Select(s => s.DisplayName)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACallOfTheCallersOwnFunctionComesBackUntouchedAndIsNeverRunHere(bool stream)
    {
        const string arguments = """{"city": "Paris",  "unit":"celsius"}""";
        var prompt = ApiHttp.Unique("weather and a lookup");
        // The model asks for the caller's function and an MCP tool in one turn.
        api.Upstream.RespondWith(r => !IsFor(r, prompt) ? StubReply.Text("other")
            : new StubReply { ToolCalls = [new("call_weather", "get_weather", arguments), new("call_echo", "fast_echo", "{}")] });
        var before = api.Mcp.Calls.Count;

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(Request(prompt,
            """{"type":"mcp","server_label":"scripted","allowed_tools":["fast_echo"]},{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""",
            stream ? ""","stream":true""" : ""));

        List<(string? Id, string? Name, string Arguments)> calls;
        string? finish;
        if (stream)
        {
            var (events, _) = await response.ReadSseAsync();
            var choices = events.SelectMany(e => e.GetProperty("choices").EnumerateArray()).ToList();
            var deltas = choices.Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
                .SelectMany(c => c.GetProperty("delta").GetProperty("tool_calls").EnumerateArray()).ToList();
            calls = deltas.GroupBy(d => d.GetProperty("index").GetInt32()).Select(g => (
                g.First().GetProperty("id").GetString(),
                g.First().GetProperty("function").GetProperty("name").GetString(),
                string.Concat(g.Select(d => d.GetProperty("function").GetProperty("arguments").GetString())))).ToList();
            finish = choices.Select(c => c.GetProperty("finish_reason")).Last(f => f.ValueKind == JsonValueKind.String).GetString();
        }
        else
        {
            var choice = (await response.ReadJsonAsync()).GetProperty("choices")[0];
            calls = choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray().Select(c => (
                c.GetProperty("id").GetString(),
                c.GetProperty("function").GetProperty("name").GetString(),
                c.GetProperty("function").GetProperty("arguments").GetString()!)).ToList();
            finish = choice.GetProperty("finish_reason").GetString();
        }

        Assert.Equal([("call_weather", "get_weather", arguments)], calls);
        Assert.Equal("tool_calls", finish);
        Assert.Equal(before, api.Mcp.Calls.Count);
        Assert.Single(api.Upstream.Requests, r => IsFor(r, prompt));
    }

    private static string Request(string prompt, string tools, string extra = "") =>
        ApiHttp.UserMessage(ApiFactory.StubModel, prompt, $$""","tools":[{{tools}}]{{extra}}""");

    private static bool IsFor(StubRequest request, string prompt) =>
        request.Body.GetProperty("messages")[0].GetProperty("content").ToString().Contains(prompt, StringComparison.Ordinal);

    private static bool HasToolResults(StubRequest request) =>
        request.Body.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("role").GetString() == "tool");

    /// <summary>The Api with one scripted MCP server (two slow tools, one fast).</summary>
    public sealed class Factory : ApiFactory
    {
        public const int MaxToolRounds = 3;

        public ScriptedMcpServer Mcp { get; private set; } = null!;

        protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
        [
            new("Mcp:Servers:mcphost:Enabled", "false"),
            new("Mcp:Servers:scripted:Endpoint", Mcp.Endpoint.ToString()),
            new("Mcp:MaxToolRounds", MaxToolRounds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];

        public override async Task InitializeAsync()
        {
            Mcp = await ScriptedMcpServer.StartAsync(
                new ScriptedTool("slow_a", "Looks up a, slowly.", SlowToolDelay),
                new ScriptedTool("slow_b", "Looks up b, slowly.", SlowToolDelay),
                new ScriptedTool("fast_echo", "Echoes at once.", TimeSpan.Zero));
            await base.InitializeAsync();
            using var client = CreateClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            // The catalog lists the server in the background after start-up.
            while (true)
            {
                using var listing = await client.GetAsync("/v1/tools?server=scripted", timeout.Token);
                if (listing.IsSuccessStatusCode && (await listing.ReadJsonAsync()).GetProperty("data").GetArrayLength() == 3)
                {
                    break;
                }
                await Task.Delay(50, timeout.Token);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Mcp.DisposeAsync();
        }
    }
}
