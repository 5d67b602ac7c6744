using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Platform.Api.Chat;

namespace Platform.Api.Embeddings;

/// <summary>
/// OpenAI's embeddings response, written straight from the vectors: <c>float</c> as JSON numbers,
/// <c>base64</c> as the little-endian float32 bytes (what the official SDKs ask for by default).
/// </summary>
public sealed class EmbeddingsResult(EmbeddingResult result, string model, bool base64) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + result.Vectors.Sum(v => v.Length) * (base64 ? 6 : 12));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < result.Vectors.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                writer.WritePropertyName("embedding");
                var vector = result.Vectors[i].Span;
                if (base64)
                {
                    writer.WriteBase64StringValue(MemoryMarshal.AsBytes(vector));
                }
                else
                {
                    writer.WriteStartArray();
                    foreach (var value in vector)
                    {
                        writer.WriteNumberValue(value);
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("model", model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", result.PromptTokens);
            writer.WriteNumber("total_tokens", result.PromptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[ChatCompletionResult.CacheHeader] = result.CacheStatus;
        response.ContentType = JsonBodyWriter.ContentType;
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted).AsTask();
    }
}
