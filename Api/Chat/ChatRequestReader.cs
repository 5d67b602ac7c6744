using Microsoft.AspNetCore.Http;
using Platform.Api.Chat.Wire;
using Platform.Api.Infrastructure;

namespace Platform.Api.Chat;

/// <summary>Reads the request body within the size limit and parses it; every failure is a 4xx.</summary>
public static class ChatRequestReader
{
    public const string LimitSetting = "Chat:MaxRequestBodyBytes";

    public static Task<ChatCompletionRequest> ReadAsync(HttpContext http, long maxBytes) =>
        JsonRequestReader.ReadAsync(http, ChatWireJsonContext.Default.ChatCompletionRequest, maxBytes, LimitSetting);
}
