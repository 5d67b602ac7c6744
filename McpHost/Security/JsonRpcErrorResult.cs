using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Security;

/// <summary>The JSON-RPC error body that goes with the access filter's 4xx/5xx answers, as the SDK writes its own.</summary>
internal static class JsonRpcErrorResult
{
    // JSON-RPC's generic server error.
    private const int ServerError = -32000;

    private static readonly JsonTypeInfo<JsonRpcError> ErrorTypeInfo =
        (JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));

    public static IResult Create(int statusCode, string message) =>
        TypedResults.Json(new JsonRpcError { Error = new JsonRpcErrorDetail { Code = ServerError, Message = message } }, ErrorTypeInfo, statusCode: statusCode);
}
