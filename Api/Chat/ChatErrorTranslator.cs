using Microsoft.AspNetCore.Http;
using Platform.Api.Providers;

namespace Platform.Api.Chat;

/// <summary>
/// Exceptions from the pipeline → OpenAI errors. Upstream client errors that the caller can fix
/// (400, 404, 409, 413, 422, 429) keep their status; credentials or server trouble upstream is a
/// 502; no answer in time is a 504. The upstream status is always in the message.
/// </summary>
public static class ChatErrorTranslator
{
    private static readonly HashSet<int> PassedThrough = [400, 404, 409, 413, 422, 429];

    public static ChatGatewayException Translate(Exception exception) => exception switch
    {
        ChatGatewayException gateway => gateway,
        UpstreamProviderException { IsTimeout: true } e => new(StatusCodes.Status504GatewayTimeout, e.Message, null, "upstream_timeout", ChatGatewayException.UpstreamError),
        UpstreamProviderException { UpstreamStatus: { } status } e when PassedThrough.Contains(status) =>
            new(status, e.Message, null, status == 429 ? "rate_limit_exceeded" : "upstream_rejected_request",
                status == 429 ? "rate_limit_error" : ChatGatewayException.InvalidRequest),
        UpstreamProviderException e => new(StatusCodes.Status502BadGateway, e.Message, null, "upstream_error", ChatGatewayException.UpstreamError),
        _ => new(StatusCodes.Status500InternalServerError, "The gateway failed to process the request; see the server log with the x-request-id.", null, "internal_error", ChatGatewayException.ServerError),
    };
}
