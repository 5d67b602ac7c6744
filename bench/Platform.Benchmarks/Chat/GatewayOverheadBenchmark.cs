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
/// Run: <c>dotnet run -c Release --project bench/Platform.Benchmarks -- gateway-overhead [calls-per-level] [processes|in-process] [label=model ...]</c>
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
        static byte[] Body(string model) => Encoding.UTF8.GetBytes(
            $$"""{"model":"{{model}}","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say something about foxes."}],"temperature":0.2,"max_tokens":64}""");
        var body = Body("stub-model");
        var direct = new Uri(topology.UpstreamBaseUrl + "/chat/completions");
        var viaApi = new Uri(topology.ApiBaseUrl, "v1/chat/completions");
        var viaProxy = new Uri(topology.ProxyBaseUrl, "v1/chat/completions");

        var offlineBody = Encoding.UTF8.GetBytes("""{"model":"offline","messages":[{"role":"user","content":"Say something about foxes."}]}""");

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

        // The paths measured side by side. Further Api paths (other provider clients of the same Api) are
        // named by their model: "label=model" arguments after the topology.
        var paths = new List<(string Label, Func<Task> Call)>
        {
            ("direct", () => Send(direct, body)),
            ("via Api", () => Send(viaApi, body)),
        };
        foreach (var extra in args.Skip(2).Select(a => a.Split('=', 2)).Where(p => p.Length == 2))
        {
            var payload = Body(extra[1]);
            paths.Add(($"via Api ({extra[0]})", () => Send(viaApi, payload)));
        }
        paths.Add(("pass-through proxy", () => Send(viaProxy, body)));

        // Warm every path by time, not by count: tiered compilation (tier 0, instrumented, tier 1)
        // finishes in the background seconds after the first calls, and the Api has far more code to
        // tier than the stub. With 1,000 warm-up calls the Api was measured mid-tiering: p50 ~0.8 ms
        // added at concurrency 1, against ~0.3 ms once warm.
        foreach (var (label, call) in paths)
        {
            await LatencyRecorder.WarmAsync(TimeSpan.FromSeconds(label.StartsWith("via Api", StringComparison.Ordinal) ? 8 : 2), call);
        }

        // Paired and interleaved: each level runs in rounds, every path once per round in a rotating
        // order, so load from other work on the machine falls on all paths alike. Reported: the median
        // over the rounds of each path's p50, and of what each path adds to the direct call in the same round.
        const int Rounds = 5;
        Console.WriteLine($"gateway-overhead: {calls} calls per path and level in {Rounds} interleaved rounds, stub upstream and Api on 127.0.0.1, topology {topology.Name}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| concurrency | path | p50 (ms) | p99 (ms) | added p50 (ms) | added p50 / proxy's | req/s |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var concurrency in Concurrencies)
        {
            var results = paths.Select(_ => new List<LatencyRecorder.Result>()).ToArray();
            for (var round = 0; round < Rounds; round++)
            {
                for (var k = 0; k < paths.Count; k++)
                {
                    var index = (k + round) % paths.Count;
                    results[index].Add(await LatencyRecorder.RunAsync(concurrency, calls / Rounds, TimeSpan.FromSeconds(15), paths[index].Call));
                }
            }
            var added = results.Select(r => Median(r.Select((x, i) => x.P50Ms - results[0][i].P50Ms))).ToArray();
            var proxyAdded = added[^1];
            for (var i = 0; i < paths.Count; i++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {concurrency} | {paths[i].Label} | {Median(results[i].Select(r => r.P50Ms)):F3} | {Median(results[i].Select(r => r.P99Ms)):F3} | {(i == 0 ? "" : added[i].ToString("F3", CultureInfo.InvariantCulture))} | {(i == 0 ? "" : (added[i] / proxyAdded).ToString("F2", CultureInfo.InvariantCulture))} | {Median(results[i].Select(r => r.RequestsPerSecond)):F0} |"));
            }
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
        var providers = new List<(string, IChatClient)>
        {
            ("Microsoft.Extensions.AI.OpenAI over a plain HttpClient", OpenAIProviderChatClient.Create("stub", providerOptions, new HttpClient())),
        };
        if (topology.ApiServices is { } services)
        {
            var factoryClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(ChatProviderFactory.HttpClientNamePrefix + "stub");
            providers.Add(("Microsoft.Extensions.AI.OpenAI over the IHttpClientFactory client", OpenAIProviderChatClient.Create("stub", providerOptions, factoryClient)));
        }
        foreach (var (label, client) in providers)
        {
            await LatencyRecorder.RunAsync(1, 500, TimeSpan.FromSeconds(10), () => client.GetResponseAsync(messages, new ChatOptions { ModelId = "stub-model" }));
            var r = await LatencyRecorder.RunAsync(1, calls, TimeSpan.FromSeconds(15), () => client.GetResponseAsync(messages, new ChatOptions { ModelId = "stub-model" }));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}, concurrency 1: p50 {r.P50Ms:F3} ms, p99 {r.P99Ms:F3} ms"));
        }
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
