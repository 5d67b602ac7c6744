using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// The servers of <c>bench/gateway-load.sh</c>, each its own process on a fixed port of 127.0.0.1,
/// serving until SIGTERM/SIGINT:
/// <list type="bullet">
/// <item><c>gateway-serve stub PORT</c>: an instant OpenAI-compatible upstream; a request with
/// <c>"stream":true</c> gets the same answer as SSE chunks with a usage chunk (as with
/// <c>stream_options.include_usage</c>).</item>
/// <item><c>gateway-serve proxy PORT UPSTREAM_BASE_URL</c>: the bare Kestrel + HttpClient
/// pass-through proxy (<see cref="BenchPassThroughProxy"/>'s work), the floor a gateway is compared to;
/// it streams the upstream's answer through as it arrives.</item>
/// <item><c>gateway-serve coldstart ...</c>: see <see cref="GatewayColdStart"/>.</item>
/// </list>
/// </summary>
public sealed class GatewayServeCommand : ILoadBenchmark
{
    private static readonly byte[] Completion = """
        {"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"stub-model","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}}
        """u8.ToArray();

    private static readonly byte[] StreamedCompletion = BuildStream();

    private static readonly byte[] StreamMarker = "\"stream\":true"u8.ToArray();

    public string Name => "gateway-serve";

    public string Description => "Serves the stub upstream (stub PORT) or the pass-through proxy (proxy PORT UPSTREAM) on 127.0.0.1 until SIGTERM, for bench/gateway-load.sh.";

    public async Task<int> RunAsync(string[] args)
    {
        if (args is ["coldstart", ..])
        {
            return await GatewayColdStart.RunAsync(args[1..]);
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        WebApplication app;
        switch (args)
        {
            case ["stub", var port]:
                builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)));
                app = builder.Build();
                app.MapPost("/v1/chat/completions", ServeStubAsync);
                break;
            case ["proxy", var port, var upstreamBaseUrl]:
                builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)));
                app = builder.Build();
                var upstream = new Uri(upstreamBaseUrl.TrimEnd('/') + "/chat/completions");
                var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
                app.MapPost("/v1/chat/completions", (HttpContext http) => ProxyAsync(http, client, upstream));
                break;
            default:
                Console.Error.WriteLine("usage: gateway-serve stub PORT | gateway-serve proxy PORT UPSTREAM_BASE_URL");
                return 2;
        }
        await app.StartAsync();
        Console.WriteLine("listening " + string.Join(' ', args));
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task ServeStubAsync(HttpContext http)
    {
        // Read the request as a real provider would before answering.
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var stream = body.GetBuffer().AsSpan(0, (int)body.Length).IndexOf(StreamMarker) >= 0;
        var answer = stream ? StreamedCompletion : Completion;
        http.Response.ContentType = stream ? "text/event-stream" : "application/json";
        http.Response.ContentLength = answer.Length;
        await http.Response.Body.WriteAsync(answer, http.RequestAborted);
    }

    private static async Task ProxyAsync(HttpContext http, HttpClient client, Uri upstream)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = content };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        if (response.Content.Headers.ContentLength is { } length)
        {
            http.Response.ContentLength = length;
        }
        await using var answer = await response.Content.ReadAsStreamAsync(http.RequestAborted);
        await answer.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static byte[] BuildStream()
    {
        var words = "The quick brown fox jumps over the lazy dog.".Split(' ');
        var sb = new System.Text.StringBuilder();
        const string Head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"stub-model\",";
        sb.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (var i = 0; i < words.Length; i++)
        {
            var text = (i == 0 ? "" : " ") + words[i];
            sb.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").Append(text).Append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.Append("data: ").Append(Head).Append("\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":10,\"total_tokens\":22}}\n\n");
        sb.Append("data: [DONE]\n\n");
        return System.Text.Encoding.UTF8.GetBytes(sb.ToString());
    }
}
