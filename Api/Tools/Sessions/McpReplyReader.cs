using System.Net.ServerSentEvents;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>
/// Reads the reply to one POSTed request from a Streamable HTTP answer: a single JSON body, or an SSE
/// stream whose events may carry notifications and server requests before the reply.
/// </summary>
internal static class McpReplyReader
{
    public static async Task<JsonRpcMessageWithId?> ReadAsync(
        HttpResponseMessage response, RequestId requestId, StreamableHttpMcpClient client, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType == "application/json")
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return Deserialize(body) as JsonRpcMessageWithId;
        }
        if (mediaType != "text/event-stream")
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var events = SseParser.Create(stream, static (_, data) => Deserialize(data));
        await foreach (var item in events.EnumerateAsync(cancellationToken))
        {
            switch (item.Data)
            {
                case JsonRpcMessageWithId reply when reply is JsonRpcResponse or JsonRpcError && reply.Id.Equals(requestId):
                    return reply;
                case JsonRpcNotification notification:
                    await client.OnNotificationAsync(notification, cancellationToken);
                    break;
                case JsonRpcRequest serverRequest:
                    await client.OnServerRequestAsync(serverRequest, cancellationToken);
                    break;
            }
        }
        return null;
    }

    // Priming events and keep-alives carry no JSON; they are not messages.
    private static JsonRpcMessage? Deserialize(ReadOnlySpan<byte> data) =>
        data.Length == 0 ? null : JsonSerializer.Deserialize(data, McpSessionProtocol.MessageTypeInfo);
}
