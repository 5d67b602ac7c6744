using Microsoft.AspNetCore.Http;
using Platform.Api.Providers;

namespace Platform.Api.Chat;

/// <summary>
/// Exceptions from the pipeline → OpenAI errors. Upstream client errors that the caller can fix
/// (400, 404, 409, 413, 422, 429) keep their status; credentials or server trouble upstream is a
/// 502; no answer in time is a 504. The caller is told the upstream status and nothing else of the
/// provider's answer: its body and the exception's text can name internal hosts, deployments and
/// accounts. The details are logged with the request id (callers log the exception).
/// </summary>
public static class ChatErrorTranslator
{
    private static readonly HashSet<int> PassedThrough = [400, 404, 409, 413, 422, 429];

    private const string SeeLog = " The provider's answer is in the gateway's log under this response's x-request-id.";

    public static ChatGatewayException Translate(Exception exception) => exception switch
    {
        ChatGatewayException gateway => gateway,
        UpstreamProviderException { BrokeOffMidAnswer: true } => new(StatusCodes.Status502BadGateway,
            $"The model provider's answer broke off after it had started, so the call was not sent to another deployment.{SeeLog}", null, "upstream_error", ChatGatewayException.UpstreamError),
        UpstreamProviderException { IsTimeout: true } => new(StatusCodes.Status504GatewayTimeout,
            "The model provider did not answer in time.", null, "upstream_timeout", ChatGatewayException.UpstreamError),
        UpstreamProviderException { UpstreamStatus: 429 } => new(StatusCodes.Status429TooManyRequests,
            "The model provider is rate limiting requests (upstream status 429); retry later.", null, "rate_limit_exceeded", "rate_limit_error"),
        UpstreamProviderException { UpstreamStatus: { } status } when PassedThrough.Contains(status) => new(status,
            $"The model provider refused the request (upstream status {status}).{SeeLog}", null, "upstream_rejected_request", ChatGatewayException.InvalidRequest),
        UpstreamProviderException { UpstreamStatus: { } status } => new(StatusCodes.Status502BadGateway,
            $"The model provider failed (upstream status {status}).{SeeLog}", null, "upstream_error", ChatGatewayException.UpstreamError),
        UpstreamProviderException => new(StatusCodes.Status502BadGateway,
            $"The model provider could not be reached, or its answer could not be read.{SeeLog}", null, "upstream_error", ChatGatewayException.UpstreamError),
        _ => new(StatusCodes.Status500InternalServerError, "The gateway failed to process the request; see the server log with the x-request-id.", null, "internal_error", ChatGatewayException.ServerError),
    };
}
