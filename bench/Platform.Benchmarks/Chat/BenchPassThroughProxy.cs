using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// The least a gateway can do: Kestrel receives the completion request, forwards its bytes to the
/// upstream with a plain HttpClient and returns the answer's bytes. None of the Api's code runs, so
/// its added latency is the floor that the hop itself costs on this machine; the Api's added latency
/// minus this one is what the Api's own work costs.
/// </summary>
internal sealed class BenchPassThroughProxy(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    public static async Task<BenchPassThroughProxy> StartAsync(Uri upstreamBaseUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.ListenOnLoopback();
        var app = builder.Build();
        var upstream = new Uri(upstreamBaseUrl + "/chat/completions");
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = content };
            using var response = await client.SendAsync(request, http.RequestAborted);
            var answer = await response.Content.ReadAsByteArrayAsync(http.RequestAborted);
            http.Response.StatusCode = (int)response.StatusCode;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = answer.Length;
            await http.Response.Body.WriteAsync(answer, http.RequestAborted);
        });
        var address = await app.StartOnLoopbackAsync();
        return new BenchPassThroughProxy(app, new Uri(address + "/"));
    }

    public ValueTask DisposeAsync() => app.StopAndDisposeAsync();
}
