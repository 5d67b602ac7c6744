using System.Net;
using Platform.Api.Chat;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Routing;

/// <summary>
/// Routing among a model's deployments, each a real HTTP stub upstream: weights, fallback before the first
/// token, no retry after it, cool-downs on the routing clock, and the deployment named in the answer and in usage.
/// </summary>
public sealed class DeploymentRoutingTests(RoutingApiFactory api) : IClassFixture<RoutingApiFactory>
{
    [Fact]
    public async Task TrafficIsSharedByWeightAmongTheDeploymentsOfTheBestPriority()
    {
        const int requests = 400;
        api.A.RespondWith(StubReply.Text("from a"));
        api.B.RespondWith(StubReply.Text("from b"));
        api.C.RespondWith(StubReply.Text("from c"));
        using var http = api.CreateAuthorizedClient();
        var served = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await http.PostChatAsync(ApiHttp.UserMessage("weighted", ApiHttp.Unique("share")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var deployment = response.Headers.GetValues(ChatCompletionResult.DeploymentHeader).Single();
            served[deployment] = served.GetValueOrDefault(deployment) + 1;
        }

        // Weights 1:3, so a's share is binomial(400, 1/4): mean 100, standard deviation 8.7; ±45 is over five deviations.
        Assert.InRange(served.GetValueOrDefault("a"), 55, 145);
        Assert.Equal(requests, served.GetValueOrDefault("a") + served.GetValueOrDefault("b"));
        Assert.False(served.ContainsKey("c"), "the priority-1 deployment is not used while priority 0 serves");
        // Each deployment was sent its own upstream model name.
        Assert.Equal(served["a"], api.A.Requests.Count(r => r.Model == "weighted-a"));
        Assert.Equal(served["b"], api.B.Requests.Count(r => r.Model == "weighted-b"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARefusalWithRetryAfterFallsBackInvisiblyAndCoolsTheDeploymentDownForThatLong(bool stream)
    {
        var model = stream ? "refused-stream" : "refused";
        api.A.RespondWith(r => r.Model == $"{model}-a" ? StubReply.Error(429, "slow down") with { RetryAfter = TimeSpan.FromSeconds(20) } : StubReply.Text("a"));
        api.B.RespondWith(StubReply.Text("answered by b"));
        var extra = stream ? ""","stream":true""" : "";

        var (status, deployment, body) = await SendAsync(model, extra);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("b", deployment);
        Assert.Contains("answered by b", body);
        Assert.DoesNotContain("slow down", body);
        // Refused once, then passed on at once: the provider's own retry does not hold the call while b can take it.
        Assert.Equal(1, HitsAt(api.A, $"{model}-a"));

        // Cooling down for the 20 s it asked: left out, then probed once they are over.
        api.Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal("b", (await SendAsync(model, extra)).Deployment);
        Assert.Equal(1, HitsAt(api.A, $"{model}-a"));

        api.A.RespondWith(StubReply.Text("a is back"));
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("a", (await SendAsync(model, extra)).Deployment);
        Assert.Equal(2, HitsAt(api.A, $"{model}-a"));
    }

    [Fact]
    public async Task ARefusedConnectionFallsBackInvisibly()
    {
        api.B.RespondWith(StubReply.Text("b picked it up"));

        var (status, deployment, body) = await SendAsync("unreachable");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("b", deployment);
        Assert.Contains("b picked it up", body);
    }

    [Fact]
    public async Task AStreamDroppedBeforeItsFirstTokenFallsBackInvisibly()
    {
        api.A.RespondWith(new StubReply { Content = "never seen", BreakAfterEvents = 0 });
        api.B.RespondWith(StubReply.Text("b streamed this"));

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(ApiHttp.UserMessage("dropped-stream", ApiHttp.Unique("drop"), ""","stream":true"""));
        var (events, done) = await response.ReadSseAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", response.Headers.GetValues(ChatCompletionResult.DeploymentHeader).Single());
        Assert.True(done);
        Assert.DoesNotContain(events, e => e.TryGetProperty("error", out _));
        Assert.Equal("b streamed this", string.Concat(events.Select(Delta)).Trim());
        // Sent to a at most once: a dropped call is never resent to the deployment that dropped it while another
        // can take it. (A pooled connection to a that an earlier abort left half-closed may fail before a sees the request.)
        Assert.InRange(HitsAt(api.A, "dropped-stream-a"), 0, 1);
    }

    [Fact]
    public async Task ATimeoutBeforeTheAnswerFallsBackToTheNextDeployment()
    {
        // route-a's timeout is 1 s; its answer would take 10.
        api.A.RespondWith(r => r.Model == "slow-a" ? new StubReply { Content = "too late", Delay = TimeSpan.FromSeconds(10) } : StubReply.Text("a"));
        api.B.RespondWith(StubReply.Text("b in time"));

        var (status, deployment, body) = await SendAsync("slow");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("b", deployment);
        Assert.Contains("b in time", body);
    }

    [Fact]
    public async Task AStreamThatFailsAfterItsFirstTokenIsNotRetriedAndTheCallerGetsAClearError()
    {
        // Paced, so the first events are read before the connection drops.
        api.A.RespondWith(new StubReply { Content = "one two three four five six seven", BreakAfterEvents = 3, ChunkDelay = TimeSpan.FromMilliseconds(50) });
        api.B.RespondWith(StubReply.Text("must not be asked"));

        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(ApiHttp.UserMessage("broken-stream", ApiHttp.Unique("break"), ""","stream":true"""));
        var (events, done) = await response.ReadSseAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a", response.Headers.GetValues(ChatCompletionResult.DeploymentHeader).Single());
        Assert.False(done);
        var error = events.Last().GetProperty("error");
        Assert.Equal("upstream_error", error.GetProperty("code").GetString());
        Assert.Contains("not sent to another deployment", error.GetProperty("message").GetString());
        Assert.Equal(0, HitsAt(api.B, "broken-stream-b"));
    }

    [Fact]
    public async Task ADeploymentThatKeepsFailingIsSkippedUntilItsCoolDownEndsThenProbed()
    {
        api.A.RespondWith(r => r.Model == "failing-a" ? StubReply.Error(500, "on fire") : StubReply.Text("a"));
        api.B.RespondWith(StubReply.Text("b holds the fort"));

        // Three failures in a row open a's breaker; every caller was still answered, by b.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "b"), Pick(await SendAsync("failing")));
        }
        Assert.Equal(3, HitsAt(api.A, "failing-a"));

        // Cooling down: a is not asked at all.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "b"), Pick(await SendAsync("failing")));
        }
        Assert.Equal(3, HitsAt(api.A, "failing-a"));

        // The cool-down is over: one probe, which fails, and a cools down again.
        api.Clock.Advance(RoutingApiFactory.CoolDown);
        Assert.Equal((HttpStatusCode.OK, "b"), Pick(await SendAsync("failing")));
        Assert.Equal(4, HitsAt(api.A, "failing-a"));
        Assert.Equal((HttpStatusCode.OK, "b"), Pick(await SendAsync("failing")));
        Assert.Equal(4, HitsAt(api.A, "failing-a"));

        // a recovers: the next probe succeeds and a serves again.
        api.A.RespondWith(StubReply.Text("a recovered"));
        api.Clock.Advance(RoutingApiFactory.CoolDown);
        Assert.Equal((HttpStatusCode.OK, "a"), Pick(await SendAsync("failing")));
        Assert.Equal((HttpStatusCode.OK, "a"), Pick(await SendAsync("failing")));
    }

    [Fact]
    public async Task AModelFallsBackToAnotherModelOnlyWhenItsConfigurationSaysSo()
    {
        api.A.RespondWith(r => r.Model == "primary-a" ? StubReply.Error(503, "down for maintenance") with { RetryAfter = TimeSpan.FromSeconds(5) } : StubReply.Text("a"));
        api.C.RespondWith(StubReply.Text("the secondary model answers"));

        var (status, deployment, body) = await SendAsync("primary");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("c", deployment);
        Assert.Contains("the secondary model answers", body);
        Assert.Equal("secondary-c", api.C.Requests.Last().Model);
    }

    [Fact]
    public async Task UsageRecordsNameTheDeploymentThatServed()
    {
        api.A.RespondWith(r => r.Model == "usage-a" ? StubReply.Error(502, "bad gateway") : StubReply.Text("a"));
        api.B.RespondWith(StubReply.Text("b served"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage("usage", ApiHttp.Unique("bill me")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();

        var record = Assert.Single(api.Usage.Of(requestId));
        Assert.Equal("b", record.Deployment);
        Assert.Equal("route-b", record.Provider);
        Assert.Equal("usage", record.Model);
        Assert.Equal("ok", record.Status);
    }

    private async Task<(HttpStatusCode Status, string? Deployment, string Body)> SendAsync(string model, string extra = "")
    {
        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(ApiHttp.UserMessage(model, ApiHttp.Unique(model), extra));
        var deployment = response.Headers.TryGetValues(ChatCompletionResult.DeploymentHeader, out var values) ? values.Single() : null;
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            // The answer's text, however the stream cut it into chunks.
            var (events, _) = await response.ReadSseAsync();
            return (response.StatusCode, deployment, string.Concat(events.Select(Delta)));
        }
        return (response.StatusCode, deployment, await response.Content.ReadAsStringAsync());
    }

    private static (HttpStatusCode, string?) Pick((HttpStatusCode Status, string? Deployment, string Body) result) => (result.Status, result.Deployment);

    private static int HitsAt(StubUpstream upstream, string upstreamModel) => upstream.Requests.Count(r => r.Model == upstreamModel);

    private static string Delta(System.Text.Json.JsonElement chunk) =>
        chunk.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
        && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == System.Text.Json.JsonValueKind.String
            ? content.GetString()! : "";
}
