using System.Text.Json.Serialization;

namespace Platform.Api;

/// <summary>OpenAI's error object: <c>{ "error": { "message", "type", "param", "code" } }</c>.</summary>
public sealed record ApiErrorResponse([property: JsonPropertyName("error")] ApiErrorBody Error);

public sealed record ApiErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);

public static class ApiError
{
    public static ApiErrorResponse Create(string message, string type = "invalid_request_error", string? param = null, string? code = null) =>
        new(new ApiErrorBody(message, type, param, code));

    /// <summary>An error result with the given status, for endpoints outside the chat feature.</summary>
    public static IResult Result(int statusCode, string message, string type = "invalid_request_error", string? param = null, string? code = null) =>
        TypedResults.Json(Create(message, type, param, code), statusCode: statusCode);
}
