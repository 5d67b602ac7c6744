using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Platform.Api.Chat;
using Platform.Api.Providers;

namespace Platform.Api.Errors;

/// <summary>
/// The one place an exception becomes a response: OpenAI's error object with the status the failure
/// deserves. The caller's mistakes keep what the exception says (it was written for them); anything
/// else is a 5xx that names the request id and nothing of the cause, in every environment.
/// </summary>
public sealed class OpenAIExceptionHandler(ILogger<OpenAIExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            // Headers are gone: nothing can be said any more; the middleware logs and aborts the response.
            return false;
        }
        var error = Translate(httpContext, exception);
        // An upstream failure is logged whatever its status: the caller was told only the status.
        if (error.StatusCode >= 500 || exception is UpstreamProviderException)
        {
            logger.LogError(exception, "Request {RequestId} {Method} {Path} failed with {Status}.",
                httpContext.GetRequestId(), httpContext.Request.Method, httpContext.Request.Path.Value, error.StatusCode);
        }
        else
        {
            logger.LogDebug(exception, "Request {RequestId} refused with {Status}: {Message}", httpContext.GetRequestId(), error.StatusCode, error.Message);
        }
        await OpenAIErrorWriter.WriteAsync(httpContext, error);
        return true;
    }

    public static ChatGatewayException Translate(HttpContext http, Exception exception) => exception switch
    {
        ChatGatewayException gateway => gateway,
        UpstreamProviderException => ChatErrorTranslator.Translate(exception),
        // Thrown by Kestrel (body too large, malformed framing) and by minimal-API parameter binding
        // (RouteHandlerOptions.ThrowOnBadRequest): their messages are written for the caller.
        BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
        BadHttpRequestException bad => OpenAIErrorWriter.ForStatus(http, bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? null : bad.Message),
        JsonException json => InvalidJson(json),
        _ when exception is Infrastructure.DatabaseUnavailableException || IsTransientDataFailure(exception) => new(StatusCodes.Status503ServiceUnavailable,
            $"The gateway's database is unavailable; retry later (x-request-id '{http.GetRequestId()}').", null, "service_unavailable", ChatGatewayException.ServerError),
        _ => OpenAIErrorWriter.ForStatus(http, StatusCodes.Status500InternalServerError),
    };

    // The position helps the caller find the fault; the path names the field.
    private static ChatGatewayException InvalidJson(JsonException json) =>
        ChatGatewayException.BadRequest(
            $"The request body is not valid JSON{(json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "")}.",
            null, "invalid_json");

    /// <summary>
    /// A database that cannot be reached or timed out (Npgsql marks those transient; EF Core's retry
    /// strategy wraps the last one): the caller may retry, it is not our bug.
    /// </summary>
    private static bool IsTransientDataFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }
}
