using Microsoft.AspNetCore.Http.Features;
using Platform.Api.Chat;
using Platform.Api.Chat.Wire;

namespace Platform.Api.Errors;

/// <summary>
/// Writes OpenAI's error object, and knows what to say for a bare status that no endpoint explained
/// (an unknown route, a method the route does not take, a body the server refused).
/// </summary>
public static class OpenAIErrorWriter
{
    /// <summary>What a 503 tells the caller to wait: long enough for a restart or failover, short for a blip.</summary>
    public const string RetryAfterSeconds = "2";

    public static Task WriteAsync(HttpContext http, ChatGatewayException error)
    {
        var response = http.Response;
        response.StatusCode = error.StatusCode;
        if (http.RequestAborted.IsCancellationRequested)
        {
            // The caller is gone (499): there is nobody to tell.
            return Task.CompletedTask;
        }
        // The exception handler clears the headers an endpoint had set; the request id must survive that.
        response.Headers[RequestIdMiddleware.HeaderName] = http.GetRequestId();
        if (http.GetClientRequestId() is { } clientId)
        {
            response.Headers[RequestIdMiddleware.ClientHeaderName] = clientId;
        }
        // Clients and proxies must not cache an error, whatever the endpoint would have sent.
        response.Headers.CacheControl = "no-store";
        if (error.StatusCode == StatusCodes.Status503ServiceUnavailable && response.Headers.RetryAfter.Count == 0)
        {
            // A dependency is down: OpenAI's SDKs honour Retry-After, so they back off instead of hammering.
            response.Headers.RetryAfter = RetryAfterSeconds;
        }
        return JsonBodyWriter.WriteAsync(
            response,
            new OpenAIErrorEnvelope { Error = new OpenAIError { Message = error.Message, Type = error.Type, Param = error.Param, Code = error.Code } },
            ChatWireJsonContext.Default.OpenAIErrorEnvelope,
            http.RequestAborted);
    }

    /// <summary>The error for a response that has a status and nothing else to say.</summary>
    public static ChatGatewayException ForStatus(HttpContext http, int status, string? detail = null)
    {
        var request = http.Request;
        var target = $"{request.Method} {request.PathBase}{request.Path}";
        return status switch
        {
            StatusCodes.Status400BadRequest => new(status, detail ?? "The request is not valid.", null, "invalid_request"),
            StatusCodes.Status401Unauthorized => new(status, detail ?? "A valid API key is required: send 'Authorization: Bearer <key>'.", null, "invalid_api_key"),
            StatusCodes.Status403Forbidden => new(status, detail ?? "This API key may not do this.", null, "forbidden", "permission_error"),
            StatusCodes.Status404NotFound => new(status, detail ?? $"Unknown URL ({target}): no endpoint of this gateway answers it.", null, "unknown_url"),
            StatusCodes.Status405MethodNotAllowed => new(status,
                detail ?? $"{request.Method} is not allowed on {request.PathBase}{request.Path}{AllowedMethods(http)}.", null, "method_not_allowed"),
            StatusCodes.Status408RequestTimeout => new(status, detail ?? "The request body did not arrive in time.", null, "request_timeout"),
            StatusCodes.Status411LengthRequired => new(status, detail ?? "The request needs a Content-Length.", null, "length_required"),
            StatusCodes.Status413PayloadTooLarge => new(status, detail ?? $"The request body is larger than this endpoint accepts{BodyLimit(http)}.", null, "request_too_large"),
            StatusCodes.Status415UnsupportedMediaType => new(status, detail ?? "The request body must be JSON (Content-Type: application/json).", null, "unsupported_media_type"),
            StatusCodes.Status429TooManyRequests => new(status, detail ?? "Too many requests; retry later.", null, "rate_limit_exceeded", "rate_limit_error"),
            >= 400 and < 500 => new(status, detail ?? $"The request was refused with status {status}.", null, "invalid_request"),
            StatusCodes.Status503ServiceUnavailable => new(status, detail ?? "The gateway is temporarily unavailable; retry later.", null, "service_unavailable", ChatGatewayException.ServerError),
            _ => new(status, detail ?? InternalErrorMessage(http), null, "internal_error", ChatGatewayException.ServerError),
        };
    }

    /// <summary>What a caller is told about a failure of ours: nothing of its cause, but how to find it in the log.</summary>
    public static string InternalErrorMessage(HttpContext http) =>
        $"The gateway failed to process the request; its log has the details under x-request-id '{http.GetRequestId()}'.";

    private static string AllowedMethods(HttpContext http) =>
        http.Response.Headers.Allow is { Count: > 0 } allow ? $"; allowed: {allow}" : "";

    private static string BodyLimit(HttpContext http) =>
        http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max ? $" ({max} bytes)" : "";
}
