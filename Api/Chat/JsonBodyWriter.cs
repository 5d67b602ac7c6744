using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Platform.Api.Chat;

/// <summary>
/// Writes a small JSON body with a Content-Length in one write. WriteAsJsonAsync streams it instead:
/// headers flush first and the chunked terminator follows, so the client waits for more segments.
/// </summary>
internal static class JsonBodyWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    public static Task WriteAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        response.ContentType = ContentType;
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, cancellationToken).AsTask();
    }
}
