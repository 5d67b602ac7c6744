using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Platform.Api.Chat.Wire;

namespace Platform.Api.Chat;

/// <summary>Writes <c>data: {json}</c> events straight into the response pipe, flushing each one.</summary>
public sealed class SseChunkWriter
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> DoneEvent => "data: [DONE]\n\n"u8;

    private readonly HttpResponse _response;
    private readonly Utf8JsonWriter _json;

    public SseChunkWriter(HttpResponse response)
    {
        _response = response;
        _json = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { SkipValidation = true });
    }

    public void Start()
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream; charset=utf-8";
        _response.Headers.CacheControl = "no-cache";
        _response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public ValueTask<System.IO.Pipelines.FlushResult> WriteAsync(ChatCompletionChunk chunk, CancellationToken cancellationToken)
    {
        Write(chunk, ChatWireJsonContext.Default.ChatCompletionChunk);
        return _response.BodyWriter.FlushAsync(cancellationToken);
    }

    public ValueTask<System.IO.Pipelines.FlushResult> WriteErrorAsync(OpenAIErrorEnvelope error, CancellationToken cancellationToken)
    {
        Write(error, ChatWireJsonContext.Default.OpenAIErrorEnvelope);
        return _response.BodyWriter.FlushAsync(cancellationToken);
    }

    public ValueTask<System.IO.Pipelines.FlushResult> WriteDoneAsync(CancellationToken cancellationToken)
    {
        _response.BodyWriter.Write(DoneEvent);
        return _response.BodyWriter.FlushAsync(cancellationToken);
    }

    private void Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        _response.BodyWriter.Write(DataPrefix);
        _json.Reset();
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        _response.BodyWriter.Write(EventEnd);
    }
}
