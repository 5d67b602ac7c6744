using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Transport;

/// <summary>Writes the JSON-RPC error bodies that go with Streamable HTTP's 4xx/5xx answers.</summary>
internal static class JsonRpcErrorResult
{
    // -32000 is JSON-RPC's generic server error; -32001 is what the SDKs use for "session not found".
    public const int ServerError = -32000;
    public const int SessionNotFound = -32001;

    private static readonly JsonTypeInfo<JsonRpcError> ErrorTypeInfo =
        (JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));

    public static Task WriteAsync(HttpContext context, int statusCode, string message, int code = ServerError, RequestId id = default, JsonNode? data = null) =>
        WriteAsync(context, statusCode, new JsonRpcErrorDetail { Code = code, Message = message, Data = data }, id);

    public static Task WriteAsync(HttpContext context, int statusCode, JsonRpcErrorDetail detail, RequestId id = default) =>
        Create(statusCode, detail, id).ExecuteAsync(context);

    public static IResult Create(int statusCode, string message, int code = ServerError) =>
        Create(statusCode, new JsonRpcErrorDetail { Code = code, Message = message }, default);

    private static IResult Create(int statusCode, JsonRpcErrorDetail detail, RequestId id) =>
        TypedResults.Json(new JsonRpcError { Id = id, Error = detail }, ErrorTypeInfo, statusCode: statusCode);

    /// <summary>-32022 with the versions we do support, so a dual-path client retries with initialize.</summary>
    public static Task WriteUnsupportedVersionAsync(HttpContext context, string requested, string reason, RequestId id = default)
    {
        var data = JsonSerializer.SerializeToNode(
            new UnsupportedProtocolVersionErrorData { Supported = McpProtocol.SessionProtocolVersions, Requested = requested },
            McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(UnsupportedProtocolVersionErrorData)));
        return WriteAsync(context, StatusCodes.Status400BadRequest, reason, (int)McpErrorCode.UnsupportedProtocolVersion, id, data);
    }
}
