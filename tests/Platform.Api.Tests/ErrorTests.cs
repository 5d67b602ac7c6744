using System.Net;
using System.Text.Json;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

public sealed class ErrorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("{not json", null, "invalid_json")]
    [InlineData("", null, "invalid_json")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":"offline"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"offline","messages":[]}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"offline","messages":"hello"}""", "messages", "invalid_type")]
    [InlineData("""{"model":"offline","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature", "invalid_type")]
    [InlineData("""{"model":"offline","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role", "invalid_value")]
    [InlineData("""{"model":"offline","messages":[{"role":"user","content":"hi"}],"n":2}""", "n", "unsupported_value")]
    [InlineData("""{"model":"offline","messages":[{"role":"user","content":"hi"}],"temperature":3}""", "temperature", "invalid_value")]
    [InlineData("""{"model":"offline","messages":[{"role":"tool","content":"42"}]}""", "messages[0].tool_call_id", "missing_required_parameter")]
    [InlineData("""{"model":"offline","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function","function":{"name":"nope"}}}""", "tool_choice.function.name", "invalid_value")]
    [InlineData("""{"model":"offline","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"bad name!"}}]}""", "tools[0].function.name", "invalid_value")]
    public async Task BadRequestsGetAnOpenAIErrorNamingTheParameter(string body, string? param, string code)
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(body);
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task UnknownModelIsNotFoundWithOpenAIsCode()
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage("no-such-model", "hi"));
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("no-such-model", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task OversizeBodyIsRefusedWith413()
    {
        using var http = api.CreateAuthorizedClient();
        var huge = new string('x', 4 * 1024 * 1024 + 10);

        using var response = await http.PostChatAsync(ApiHttp.UserMessage("offline", huge));
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task UpstreamClientErrorIsPassedThroughWithItsStatusButNotTheProvidersAnswer()
    {
        api.Upstream.RespondWith(StubReply.Error(400, "context length exceeded"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("too long")));
        var message = (await response.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("400", message);
        Assert.DoesNotContain("context length exceeded", message);
    }

    [Fact]
    public async Task UpstreamCredentialProblemIsABadGatewayNotTheCallersFault()
    {
        api.Upstream.RespondWith(StubReply.Error(401, "invalid upstream key"));
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("hi")));
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("401", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task SlowUpstreamIsAGatewayTimeout()
    {
        api.Upstream.RespondWith(new StubReply { Content = "too late", Delay = TimeSpan.FromSeconds(10) });
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.SlowModel, ApiHttp.Unique("hurry")));
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ClientDisconnectCancelsTheUpstreamCall()
    {
        api.Upstream.RespondWith(new StubReply { Content = "never read", Delay = TimeSpan.FromSeconds(30) });
        using var http = api.CreateAuthorizedClient();
        using var disconnect = new CancellationTokenSource();
        var marker = $"cancel-{Guid.NewGuid():N}";

        var call = http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubModel, marker), cancellationToken: disconnect.Token);
        var upstream = await WaitForUpstreamRequestAsync(marker);
        await disconnect.CancelAsync();
        // Over a socket the client sees its own cancellation. The in-memory test server instead completes
        // the call with what the exception handler answers an aborted request: 499, and nothing is written.
        try
        {
            using var aborted = await call;
            Assert.Equal(499, (int)aborted.StatusCode);
        }
        catch (OperationCanceledException)
        {
        }

        var completed = await upstream.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(completed);
    }

    [Fact]
    public async Task InvalidApiKeyIsUnauthorized()
    {
        using var http = api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-key");

        using var response = await http.PostChatAsync(ApiHttp.UserMessage("offline", "hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(response.Headers.GetValues("x-request-id"));
    }

    private async Task<StubRequest> WaitForUpstreamRequestAsync(string marker)
    {
        for (var i = 0; i < 400; i++)
        {
            var found = api.Upstream.Requests.FirstOrDefault(r => r.Body.GetProperty("messages")[0].GetProperty("content").GetString() == marker);
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The upstream never saw the request.");
    }
}
