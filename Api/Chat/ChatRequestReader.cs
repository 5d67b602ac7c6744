using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Platform.Api.Chat.Wire;

namespace Platform.Api.Chat;

/// <summary>Reads the request body within the size limit and parses it; every failure is a 4xx.</summary>
public static class ChatRequestReader
{
    public static async Task<ChatCompletionRequest> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var body = await ReadBodyAsync(request.Body, maxBytes, cancellationToken);
        try
        {
            if (body.Length == 0)
            {
                throw ChatGatewayException.BadRequest("The request body is empty; expected a JSON object.", null, "invalid_json");
            }
            return JsonSerializer.Deserialize(body.Span, ChatWireJsonContext.Default.ChatCompletionRequest)
                ?? throw ChatGatewayException.BadRequest("The request body must be a JSON object.", null, "invalid_json");
        }
        catch (JsonException e)
        {
            var param = ToParam(e.Path);
            var message = param is null
                ? $"The request body is not valid JSON: {e.Message}"
                : $"'{param}' has the wrong type or is not valid JSON: {e.Message}";
            throw ChatGatewayException.BadRequest(message, param, param is null ? "invalid_json" : "invalid_type");
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
    }

    private static ChatGatewayException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {maxBytes} bytes (Chat:MaxRequestBodyBytes).", null, "request_too_large");

    // "$.messages[0].role" → "messages[0].role"
    private static string? ToParam(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
