using System.Net;
using ModelContextProtocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>Tells a dead session apart from a tool error, and a call that may be replayed from one that may have run.</summary>
public static class McpFailure
{
    /// <summary>The session can no longer carry calls: replace it. A JSON-RPC error from a live server is not such a failure.</summary>
    public static bool IsSessionFailure(Exception exception) => exception switch
    {
        McpProtocolException => false,
        HttpRequestException or IOException or ObjectDisposedException or TimeoutException => true,
        McpException { InnerException: { } inner } => IsSessionFailure(inner),
        _ => false,
    };

    /// <summary>
    /// True when the server cannot have run the call: the session was unknown to it (404), the
    /// connection was refused before the request was sent, or the session had been closed already.
    /// </summary>
    public static bool ServerNeverSawTheCall(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpRequestException { StatusCode: HttpStatusCode.NotFound }:
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                case ObjectDisposedException:
                    return true;
            }
        }
        return false;
    }
}
