using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Transport;

/// <summary>
/// The MCP-Protocol-Version header rules: unknown versions are refused with -32022 and the list we
/// support; the sessionless 2026-07-28 revision is refused the same way on POST (so a dual-path client
/// falls back to initialize, as with the SDK's Stateful mode) and with 405 on GET/DELETE.
/// </summary>
internal static class ProtocolVersionRules
{
    public static async Task<bool> ValidateAsync(HttpContext context, string protocolVersion, RequestId requestId)
    {
        if (protocolVersion.Length == 0 || McpProtocol.IsSupported(protocolVersion))
        {
            // No header: the spec says to assume 2025-03-26 for backwards compatibility.
            return true;
        }

        var reason = McpProtocol.IsSessionless(protocolVersion)
            ? $"Bad Request: protocol version '{protocolVersion}' has no sessions; this server keeps sessions, so use initialize with one of the supported versions."
            : $"Bad Request: the {McpProtocol.ProtocolVersionHeader} header value '{protocolVersion}' is not supported.";
        await JsonRpcErrorResult.WriteUnsupportedVersionAsync(context, protocolVersion, reason, requestId);
        return false;
    }

    public static async Task<bool> ValidateSessionMethodAsync(HttpContext context, string protocolVersion)
    {
        if (McpProtocol.IsSessionless(protocolVersion))
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status405MethodNotAllowed,
                $"Method Not Allowed: protocol version '{protocolVersion}' has no sessions, so no GET stream and no DELETE.");
            return false;
        }
        return await ValidateAsync(context, protocolVersion, default);
    }
}
