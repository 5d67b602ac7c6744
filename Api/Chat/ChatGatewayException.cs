using Microsoft.AspNetCore.Http;

namespace Platform.Api.Chat;

/// <summary>A request the gateway refuses; becomes an OpenAI error object with <see cref="StatusCode"/>.</summary>
public sealed class ChatGatewayException(
    int statusCode, string message, string? param = null, string? code = null, string type = ChatGatewayException.InvalidRequest)
    : Exception(message)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string UpstreamError = "upstream_error";
    public const string ServerError = "server_error";

    public int StatusCode { get; } = statusCode;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;

    public static ChatGatewayException BadRequest(string message, string? param, string? code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, message, param, code);
}
