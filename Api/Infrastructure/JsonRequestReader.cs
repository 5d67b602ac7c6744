using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Api.Chat;

namespace Platform.Api.Infrastructure;

/// <summary>
/// Reads a JSON request body within the endpoint's size limit and deserializes it. Every way a body
/// can be wrong — too large, not UTF-8, not JSON, a value of the wrong type, <c>null</c> at the root —
/// is a <see cref="ChatGatewayException"/> with a 4xx status that names the offending field. Endpoints
/// read their bodies with it rather than through parameter binding, whose failures say neither.
/// </summary>
public static partial class JsonRequestReader
{
    /// <summary>Reads the body as <typeparamref name="T"/> with the options minimal APIs use (web defaults).</summary>
    public static Task<T> ReadAsync<T>(HttpContext http, long maxBytes, string limitSetting) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return ReadAsync(http, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)), maxBytes, limitSetting);
    }

    public static async Task<T> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo, long maxBytes, string limitSetting) where T : class
    {
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // One byte over, so that an oversize body is seen here (and answered with the setting's name), not by the server.
            limit.MaxRequestBodySize = maxBytes + 1;
        }
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes, limitSetting);
        }
        var (buffer, length) = await ReadBodyAsync(request.Body, request.ContentLength, maxBytes, limitSetting, http.RequestAborted);
        try
        {
            return Deserialize(buffer.AsSpan(0, length), typeInfo);
        }
        finally
        {
            // The parsed value keeps no reference to these bytes (JsonElements are copied out).
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a complete body; for callers that have it in memory already.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (body.IsEmpty)
        {
            throw ChatGatewayException.BadRequest("The request body is empty; expected a JSON object.", null, "invalid_json");
        }
        if (JsonText.FindEncodingError(body) is { } encodingError)
        {
            throw ChatGatewayException.BadRequest(encodingError, null, "invalid_json");
        }
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)
                ?? throw ChatGatewayException.BadRequest("The request body must be a JSON object, not null.", null, "invalid_json");
        }
        catch (JsonException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>A part of the body kept as a <see cref="JsonElement"/>, read as <typeparamref name="T"/>; <paramref name="param"/> is where it is.</summary>
    public static T DeserializeElement<T>(JsonElement element, JsonTypeInfo<T> typeInfo, string param) where T : class
    {
        try
        {
            return element.Deserialize(typeInfo)
                ?? throw ChatGatewayException.BadRequest($"'{param}' must be an object.", param, "invalid_type");
        }
        catch (JsonException e)
        {
            throw Translate(e, param);
        }
    }

    /// <summary>
    /// A syntax error (the reader's, kept as the inner exception) says where the text breaks; a
    /// conversion error says which field has the wrong type. Neither names .NET types to the caller.
    /// </summary>
    public static ChatGatewayException Translate(JsonException e, string? within = null)
    {
        var param = ToParam(e.Path) is { } path ? within is null ? path : path.StartsWith('[') ? within + path : $"{within}.{path}" : within;
        var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        if (e.InnerException is JsonException syntax)
        {
            return ChatGatewayException.BadRequest($"The request body is not valid JSON{position}: {StripLocation(syntax.Message)}", null, "invalid_json");
        }
        if (param is null)
        {
            return ChatGatewayException.BadRequest($"The request body must be a JSON object{position}.", null, "invalid_json");
        }
        return ChatGatewayException.BadRequest($"'{param}' has the wrong type{Expected(e.Message)}{position}.", param, "invalid_type");
    }

    /// <summary>
    /// Reads the body into a pooled buffer sized from Content-Length, so a typical request costs no
    /// allocation (a fixed 16 KiB buffer that then doubled cost ~48 KB per request, and gen-0 GCs).
    /// The caller returns the buffer to <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(
        Stream body, long? contentLength, long maxBytes, string limitSetting, CancellationToken cancellationToken)
    {
        // One byte more than announced, so that the final zero-byte read needs no growth.
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is { } announced ? (int)announced + 1 : 4 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw TooLarge(maxBytes, limitSetting);
                }
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes, limitSetting);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public static ChatGatewayException TooLarge(long maxBytes, string limitSetting) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {maxBytes} bytes ({limitSetting}).", null, "request_too_large");

    // "$.messages[0].role" → "messages[0].role"
    private static string? ToParam(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // "... Path: $.x | LineNumber: 0 | BytePositionInLine: 5." → "...": the position is reported once, 1-based.
    private static string StripLocation(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        cut = cut < 0 ? message.IndexOf(" LineNumber: ", StringComparison.Ordinal) : cut;
        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }

    /// <summary>
    /// "The JSON value could not be converted to System.Nullable`1[System.Single]." → ": expected a number".
    /// System.Text.Json names the target type only in its message; the caller should hear JSON's words.
    /// </summary>
    private static string Expected(string message)
    {
        var match = ConvertedTo().Match(message);
        if (!match.Success)
        {
            return "";
        }
        var type = match.Groups[1].Value;
        if (type.Contains("Dictionary", StringComparison.Ordinal))
        {
            return ": expected an object";
        }
        if (type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal))
        {
            return ": expected an array";
        }
        return type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']') switch
        {
            "System.String" => ": expected a string",
            "System.Boolean" => ": expected true or false",
            "System.Byte" or "System.Int16" or "System.Int32" or "System.Int64" or "System.Single" or "System.Double" or "System.Decimal" => ": expected a number",
            "System.DateTimeOffset" or "System.DateTime" => ": expected an ISO 8601 date-time string",
            "System.Guid" => ": expected a UUID string",
            _ => ": expected an object",
        };
    }

    [GeneratedRegex(@"could not be converted to ([^ ]+?)\.(?: |$)")]
    private static partial Regex ConvertedTo();
}
