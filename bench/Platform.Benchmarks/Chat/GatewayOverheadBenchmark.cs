using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Providers;
using Platform.Api.Providers.OpenAICompatible;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// Latency the gateway adds: the same completion request sent to a stub upstream directly and
/// through the Api (real Kestrel, full Program composition, private Redis and PostgreSQL), in the
/// same run, at concurrency 1, 8 and 32. Budget: p50 ≤ 0.3 ms added.
/// By default the stub and the Api each run in a child process, as in production (see <see cref="GatewayTopology"/>).
/// Run: <c>dotnet run -c Release --project bench/Platform.Benchmarks -- gateway-overhead [calls-per-level] [processes|in-process]</c>
/// </summary>
public sealed class GatewayOverheadBenchmark : ILoadBenchmark
{
    private static readonly int[] Concurrencies = [1, 8, 32];

    public string Name => "gateway-overhead";
    public string Description => "Latency added by the Api's chat pipeline vs calling a stub upstream directly (loopback).";

    public async Task<int> RunAsync(string[] args)
    {
        if (args is [GatewayTopology.ServeStubMode or GatewayTopology.ServeApiMode or GatewayTopology.ServeProxyMode, ..])
        {
            return await GatewayTopology.ServeAsync(args);
        }
        var calls = args is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 4000;
        var topologyName = args is [_, var t, ..] ? t : GatewayTopology.Processes;
        await using var topology = await GatewayTopology.StartAsync(topologyName);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        var body = Encoding.UTF8.GetBytes("""{"model":"stub-model","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say something about foxes."}],"temperature":0.2,"max_tokens":64}""");
        var direct = new Uri(topology.UpstreamBaseUrl + "/chat/completions");
        var viaApi = new Uri(topology.ApiBaseUrl, "v1/chat/completions");
        var viaProxy = new Uri(topology.ProxyBaseUrl, "v1/chat/completions");

        var offlineBody = Encoding.UTF8.GetBytes("""{"model":"offline","messages":[{"role":"user","content":"Say something about foxes."}]}""");

        async Task Call(Uri target) => await Send(target, body);

        async Task Send(Uri target, byte[] payload)
        {
            using var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            // The response cache must not answer: this measures the path to the provider.
            request.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true };
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(Stream.Null);
        }

        // Warm every path by time, not by count: tiered compilation (tier 0, instrumented, tier 1)
        // finishes in the background seconds after the first calls, and the Api has far more code to
        // tier than the stub. With 1,000 warm-up calls the Api was measured mid-tiering: p50 ~0.8 ms
        // added at concurrency 1, against ~0.3 ms once warm.
        await LatencyRecorder.WarmAsync(TimeSpan.FromSeconds(2), () => Call(direct));
        await LatencyRecorder.WarmAsync(TimeSpan.FromSeconds(8), () => Call(viaApi));
        await LatencyRecorder.WarmAsync(TimeSpan.FromSeconds(2), () => Call(viaProxy));

        Console.WriteLine($"gateway-overhead: {calls} calls per path and level, stub upstream and Api on 127.0.0.1, topology {topology.Name}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| concurrency | direct p50 (ms) | direct p99 (ms) | via Api p50 (ms) | via Api p99 (ms) | added p50 (ms) | added p99 (ms) | via Api req/s | pass-through proxy added p50 (ms) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var concurrency in Concurrencies)
        {
            var d = await LatencyRecorder.RunAsync(concurrency, calls, TimeSpan.FromSeconds(15), () => Call(direct));
            var a = await LatencyRecorder.RunAsync(concurrency, calls, TimeSpan.FromSeconds(15), () => Call(viaApi));
            var p = await LatencyRecorder.RunAsync(concurrency, calls, TimeSpan.FromSeconds(15), () => Call(viaProxy));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {d.P50Ms:F3} | {d.P99Ms:F3} | {a.P50Ms:F3} | {a.P99Ms:F3} | {a.P50Ms - d.P50Ms:F3} | {a.P99Ms - d.P99Ms:F3} | {a.RequestsPerSecond:F0} | {p.P50Ms - d.P50Ms:F3} |"));
        }

        // Where the added time goes: the Api with its built-in offline provider makes no upstream call.
        var offline = await LatencyRecorder.RunAsync(1, calls, TimeSpan.FromSeconds(15), () => Send(viaApi, offlineBody));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Api alone (offline provider, no upstream hop), concurrency 1: p50 {offline.P50Ms:F3} ms, p99 {offline.P99Ms:F3} ms"));

        // The provider call on its own: the SDK over a plain HttpClient, and over the Api's
        // IHttpClientFactory client (resilience, service discovery, logging handlers).
        var providerOptions = new ProviderOptions { Endpoint = topology.UpstreamBaseUrl, ApiKey = "bench", Models = ["stub-model"] };
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are terse."), new(ChatRole.User, "Say something about foxes.") };
        var providers = new List<(string, IChatClient)> { ("SDK over a plain HttpClient", new OpenAICompatibleChatClient("stub", providerOptions, new HttpClient())) };
        if (topology.ApiServices is { } services)
        {
            var factoryClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(ChatProviderFactory.HttpClientNamePrefix + "stub");
            providers.Add(("SDK over the IHttpClientFactory client", new OpenAICompatibleChatClient("stub", providerOptions, factoryClient)));
        }
        foreach (var (label, client) in providers)
        {
            await LatencyRecorder.RunAsync(1, 500, TimeSpan.FromSeconds(10), () => client.GetResponseAsync(messages, new ChatOptions { ModelId = "stub-model" }));
            var r = await LatencyRecorder.RunAsync(1, calls, TimeSpan.FromSeconds(15), () => client.GetResponseAsync(messages, new ChatOptions { ModelId = "stub-model" }));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}, concurrency 1: p50 {r.P50Ms:F3} ms, p99 {r.P99Ms:F3} ms"));
        }
        return 0;
    }
}
