using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Benchmarks.Chat;

/// <summary>An OpenAI-compatible upstream on 127.0.0.1 answering every completion with the same canned JSON.</summary>
internal sealed class BenchStubUpstream(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    private static readonly byte[] Completion = """
        {"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"stub-model","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}}
        """u8.ToArray();

    public Uri BaseUrl { get; } = baseUrl;

    public static async Task<BenchStubUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.ListenOnLoopback();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            // Drain the request as a real provider would before answering.
            await http.Request.Body.CopyToAsync(Stream.Null);
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(Completion);
        });
        var address = await app.StartOnLoopbackAsync();
        return new BenchStubUpstream(app, new Uri(address + "/v1"));
    }

    public ValueTask DisposeAsync() => app.StopAndDisposeAsync();
}
