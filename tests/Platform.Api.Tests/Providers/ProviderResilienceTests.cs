using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Platform.Api.Providers;
using Polly.Timeout;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Providers;

/// <summary>
/// A completion is a long, paid, non-idempotent POST: it is sent again only when it never reached the
/// provider or the provider refused it by status (429, 503). Counted at a real loopback upstream.
/// </summary>
public sealed class ProviderResilienceTests(ProviderResilienceTests.Factory api) : IClassFixture<ProviderResilienceTests.Factory>
{
    [Fact]
    public async Task ACompletionSlowerThanTheStandardAttemptTimeoutIsSentExactlyOnce()
    {
        var marker = ApiHttp.Unique("take your time");
        api.Upstream.RespondWith(new StubReply { Content = "worth the wait", Delay = Factory.StandardAttemptTimeout * 3 });

        var (status, body) = await SendAsync(Factory.PatientModel, marker);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("worth the wait", body);
        Assert.Equal(1, await SettledHitsAsync(marker));
    }

    [Fact]
    public async Task ACompletionThatTimesOutAfterBeingSentIsNotSentAgain()
    {
        var marker = ApiHttp.Unique("too slow");
        api.Upstream.RespondWith(new StubReply { Content = "too late", Delay = TimeSpan.FromSeconds(5) });

        var (status, _) = await SendAsync(Factory.HastyModel, marker);

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal(1, await SettledHitsAsync(marker));
    }

    [Theory]
    [InlineData(429, false)]
    [InlineData(503, false)]
    [InlineData(429, true)]
    [InlineData(503, true)]
    public async Task ARefusalByStatusIsRetriedAndTheRetryIsAnswered(int refusal, bool stream)
    {
        var marker = ApiHttp.Unique($"refused {refusal}");
        var hits = 0;
        api.Upstream.RespondWith(_ => Interlocked.Increment(ref hits) == 1 ? StubReply.Error(refusal, "busy") : StubReply.Text("lucky"));

        var (status, body) = await SendAsync(Factory.PatientModel, marker, stream ? ""","stream":true""" : "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("lucky", body);
        Assert.Equal(2, await SettledHitsAsync(marker));
    }

    [Fact]
    public async Task ARefusalAskingForALongerWaitThanAllowedGoesBackToTheCaller()
    {
        var marker = ApiHttp.Unique("come back later");
        api.Upstream.RespondWith(StubReply.Error(429, "slow down") with { RetryAfter = TimeSpan.FromMinutes(1) });

        var (status, _) = await SendAsync(Factory.PatientModel, marker);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(1, await SettledHitsAsync(marker));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task AServerErrorIsNotRetried(int error)
    {
        var marker = ApiHttp.Unique($"broken {error}");
        api.Upstream.RespondWith(StubReply.Error(error, "something broke"));

        var (status, _) = await SendAsync(Factory.PatientModel, marker);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(1, await SettledHitsAsync(marker));
    }

    [Fact]
    public async Task ACompletionWhoseConnectionWasRefusedIsSentOnANewConnection()
    {
        var marker = ApiHttp.Unique("knock knock");
        api.Upstream.RespondWith(StubReply.Text("who's there"));

        var (status, _) = await SendAsync(Factory.UnreachableOnceModel, marker);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, api.UnreachableOnceConnects);
        Assert.Equal(1, await SettledHitsAsync(marker));
    }

    [Fact]
    public async Task OrdinaryHttpClientsKeepTheStandardResilienceHandler()
    {
        // The control for the first test: the same slow answer through any other client is cut and sent again.
        var marker = ApiHttp.Unique("ordinary");
        api.Upstream.RespondWith(new StubReply { Content = "slow", Delay = Factory.StandardAttemptTimeout * 3 });
        using var client = api.Services.GetRequiredService<IHttpClientFactory>().CreateClient("ordinary");

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.PostAsync(
            new Uri(api.Upstream.BaseUrl + "/chat/completions"),
            new StringContent(ApiHttp.UserMessage(Factory.PatientModel, marker), Encoding.UTF8, "application/json")));

        Assert.True(await SettledHitsAsync(marker) > 1);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string model, string marker, string extra = "")
    {
        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(ApiHttp.UserMessage(model, marker, extra));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Requests the upstream saw for one test's message, once no retry is pending.</summary>
    private async Task<int> SettledHitsAsync(string marker)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return api.Upstream.Requests.Count(r => r.Body.GetProperty("messages")[0].GetProperty("content").GetString() == marker);
    }

    /// <summary>
    /// The Api with three providers on the stub: <c>patient</c> (10 s timeout), <c>hasty</c> (1 s timeout),
    /// and <c>unreachable-once</c>, whose first connection is refused. The standard handler's attempt
    /// timeout is squeezed to 1 s, so a completion it carried would be cut and resent within the tests.
    /// </summary>
    public sealed class Factory : ApiFactory
    {
        public const string PatientModel = "patient-model";
        public const string HastyModel = "hasty-model";
        public const string UnreachableOnceModel = "unreachable-once-model";
        public static readonly TimeSpan StandardAttemptTimeout = TimeSpan.FromSeconds(1);

        private int _unreachableOnceConnects;

        public int UnreachableOnceConnects => Volatile.Read(ref _unreachableOnceConnects);

        protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
            Provider("patient", PatientModel, "00:00:10")
                .Concat(Provider("hasty", HastyModel, "00:00:01"))
                .Concat(Provider("unreachable-once", UnreachableOnceModel, "00:00:10"));

        private IEnumerable<KeyValuePair<string, string?>> Provider(string name, string model, string timeout) =>
            new Dictionary<string, string?>
            {
                [$"Providers:{name}:Type"] = "openai",
                [$"Providers:{name}:Endpoint"] = Upstream.BaseUrl.ToString(),
                [$"Providers:{name}:Models:0"] = model,
                [$"Providers:{name}:Timeout"] = timeout,
                [$"Providers:{name}:Resilience:RetryDelay"] = "00:00:00.050",
                [$"Providers:{name}:Resilience:MaxRetryAfter"] = "00:00:02",
            };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.ConfigureAll<HttpStandardResilienceOptions>(o =>
                {
                    o.AttemptTimeout.Timeout = StandardAttemptTimeout;
                    o.Retry.Delay = TimeSpan.FromMilliseconds(50);
                });
                services.AddHttpClient(ChatProviderFactory.HttpClientNamePrefix + "unreachable-once")
                    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectCallback = ConnectAsync });
            });
        }

        // The first connection goes to a loopback port nobody listens on, so it is really refused; later ones reach the stub.
        private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var target = Interlocked.Increment(ref _unreachableOnceConnects) == 1
                ? new IPEndPoint(IPAddress.Loopback, UnusedPort())
                : (EndPoint)context.DnsEndPoint;
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private static int UnusedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
