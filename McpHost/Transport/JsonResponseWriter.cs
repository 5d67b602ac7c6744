using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Platform.McpHost.Transport;

/// <summary>
/// The JSON answer mode of Streamable HTTP: the transport writes SSE into a pipe, and the one event
/// that carries the request's response goes back as an application/json body.
/// </summary>
internal static class JsonResponseWriter
{
    public static async Task HandlePostAsync(StreamableHttpServerTransport transport, JsonRpcMessage request, HttpContext context)
    {
        var pipe = new Pipe();
        var produce = ProduceAsync(transport, request, pipe.Writer, context.RequestAborted);

        string? response = null;
        await foreach (var item in SseParser.Create(pipe.Reader.AsStream()).EnumerateAsync(context.RequestAborted))
        {
            // Notifications (progress, logging) have a method; the response has a result or an error.
            if (item.EventType == "message" && IsResponse(item.Data))
            {
                response = item.Data;
            }
        }
        await produce;

        if (response is null)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response, Encoding.UTF8, context.RequestAborted);
    }

    private static bool IsResponse(string data) =>
        JsonNode.Parse(data) is JsonObject message && message.ContainsKey("id") && (message.ContainsKey("result") || message.ContainsKey("error"));

    private static async Task ProduceAsync(StreamableHttpServerTransport transport, JsonRpcMessage request, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await transport.HandlePostRequestAsync(request, writer.AsStream(leaveOpen: true), cancellationToken);
            await writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
        }
    }
}
