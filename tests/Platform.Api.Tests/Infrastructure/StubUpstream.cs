using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>
/// An OpenAI-compatible model provider on a real Kestrel port on 127.0.0.1: records every request
/// and answers with whatever <see cref="RespondWith(Func{StubRequest, StubReply})"/> says — text,
/// tool calls, errors, delays — as JSON or as an SSE stream, like OpenAI.
/// </summary>
public sealed class StubUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private Func<StubRequest, StubReply> _responder = _ => StubReply.Text("Hello from the stub.");
    private Func<StubRequest, StubReply> _embeddingsResponder = _ => new StubReply();

    private StubUpstream(WebApplication app) => _app = app;

    /// <summary>Base URL including <c>/v1</c>, as providers are configured.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public void RespondWith(Func<StubRequest, StubReply> responder) => _responder = responder;

    public void RespondWith(StubReply reply) => _responder = _ => reply;

    /// <summary>Requests to <c>/v1/embeddings</c>; answered with <see cref="StubWire.Vector"/> per input, or the reply's error.</summary>
    public ConcurrentQueue<StubRequest> EmbeddingRequests { get; } = new();

    public void RespondToEmbeddingsWith(Func<StubRequest, StubReply> responder) => _embeddingsResponder = responder;

    public StubRequest LastRequestFor(string model) => Requests.Last(r => r.Model == model);

    public static async Task<StubUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubUpstream(app);
        app.MapPost("/v1/chat/completions", stub.HandleAsync);
        app.MapPost("/v1/embeddings", stub.HandleEmbeddingsAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return stub;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var document = await JsonDocument.ParseAsync(http.Request.Body);
        var request = new StubRequest(document.RootElement.Clone(), http.Request.Headers.Authorization.ToString(), http.Request.Headers["api-key"].ToString());
        Requests.Enqueue(request);
        var reply = _responder(request);
        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, http.RequestAborted);
            }
            if (reply.StatusCode != 200)
            {
                http.Response.StatusCode = reply.StatusCode;
                if (reply.RetryAfter is { } retryAfter)
                {
                    http.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await http.Response.WriteAsync(
                    $$$"""{"error":{"message":{{{JsonSerializer.Serialize(reply.ErrorMessage)}}},"type":"stub_error","param":null,"code":"stub"}}""");
            }
            else if (reply.RawBody is { } raw && request.Stream)
            {
                http.Response.ContentType = "text/event-stream";
                foreach (var line in raw.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    await http.Response.WriteAsync($"data: {line}\n\n", http.RequestAborted);
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                }
            }
            else if (reply.RawBody is { } body)
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(body, http.RequestAborted);
            }
            else if (request.Stream && reply.BreakAfterEvents is { } events)
            {
                await StubWire.WriteStreamAsync(http.Response, request, reply, http.RequestAborted, events);
                http.Abort();
            }
            else if (request.Stream)
            {
                await StubWire.WriteStreamAsync(http.Response, request, reply, http.RequestAborted);
            }
            else
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(StubWire.Completion(request, reply), http.RequestAborted);
            }
            request.Outcome.TrySetResult(true);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            request.Outcome.TrySetResult(false);
        }
    }

    private async Task HandleEmbeddingsAsync(HttpContext http)
    {
        using var document = await JsonDocument.ParseAsync(http.Request.Body);
        var request = new StubRequest(document.RootElement.Clone(), http.Request.Headers.Authorization.ToString());
        EmbeddingRequests.Enqueue(request);
        var reply = _embeddingsResponder(request);
        if (reply.StatusCode != 200)
        {
            http.Response.StatusCode = reply.StatusCode;
            await http.Response.WriteAsync(
                $$$"""{"error":{"message":{{{JsonSerializer.Serialize(reply.ErrorMessage)}}},"type":"stub_error","param":null,"code":"stub"}}""");
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(StubWire.Embeddings(request, reply));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
