using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Platform.Api.Chat.Wire;
using Platform.Api.Pipeline;
using Platform.Api.Providers;
using Platform.Api.Tools.Chat;

namespace Platform.Api.Chat;

/// <summary>
/// Runs a validated request through its model's pipeline and writes the answer as JSON or SSE.
/// The request context is set here, on the flow that enumerates the pipeline, so middleware sees it.
/// A stream's status is decided by its first update: errors before it are ordinary error responses.
/// </summary>
public sealed class ChatCompletionResult(
    ParsedChatRequest request, ModelRoute route, ChatRequestContext context, IChatRequestContextAccessor accessor, ILogger logger) : IResult
{
    public const string CacheHeader = "x-cache";

    /// <summary>Names the deployment that answered (absent on a cache hit).</summary>
    public const string DeploymentHeader = "x-platform-deployment";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        accessor.Current = context;
        request.Options.ModelId = route.ModelId;
        try
        {
            if (context.ExtensionTools.Count > 0)
            {
                try
                {
                    await httpContext.RequestServices.GetRequiredService<McpToolSelector>()
                        .AddToolsAsync(context, request.Messages, request.Options, httpContext.RequestAborted);
                }
                catch (Exception e) when (!httpContext.RequestAborted.IsCancellationRequested)
                {
                    await WriteErrorAsync(httpContext, e);
                    return;
                }
            }
            if (request.Stream)
            {
                await StreamAsync(httpContext);
            }
            else
            {
                await CompleteAsync(httpContext);
            }
        }
        finally
        {
            accessor.Current = null;
        }
    }

    private async Task CompleteAsync(HttpContext http)
    {
        ChatResponse response;
        try
        {
            response = await route.Pipeline.GetResponseAsync(request.Messages, request.Options, http.RequestAborted);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(http, e);
            return;
        }
        WriteCacheHeader(http);
        await JsonBodyWriter.WriteAsync(
            http.Response, ChatResponseMapper.ToWire(response, request.Model, request.Options.Tools), ChatWireJsonContext.Default.ChatCompletionResponse, http.RequestAborted);
    }

    private async Task StreamAsync(HttpContext http)
    {
        var cancellation = http.RequestAborted;
        await using var updates = route.Pipeline.GetStreamingResponseAsync(request.Messages, request.Options, cancellation).GetAsyncEnumerator(cancellation);
        bool any;
        try
        {
            any = await updates.MoveNextAsync();
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            await WriteErrorAsync(http, e);
            return;
        }

        WriteCacheHeader(http);
        var writer = new SseChunkWriter(http.Response);
        writer.Start();
        var mapper = new ChatChunkMapper(request.Model, request.Options.Tools);
        try
        {
            while (any)
            {
                foreach (var chunk in mapper.Map(updates.Current))
                {
                    await writer.WriteAsync(chunk, cancellation);
                }
                any = await updates.MoveNextAsync();
            }
            await writer.WriteAsync(mapper.Finish(), cancellation);
            if (request.IncludeUsage)
            {
                await writer.WriteAsync(mapper.UsageChunk(), cancellation);
            }
            await writer.WriteDoneAsync(cancellation);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            // Headers are gone: the error travels as a last event, as OpenAI does mid-stream.
            var error = ChatErrorTranslator.Translate(e);
            Log(e, error);
            await writer.WriteErrorAsync(new OpenAIErrorEnvelope { Error = OpenAIErrorResult.From(error).Error }, CancellationToken.None);
        }
    }

    private void WriteCacheHeader(HttpContext http)
    {
        if (context.CacheStatus is { } status)
        {
            http.Response.Headers[CacheHeader] = status;
        }
        if (context.ServedBy is { } deployment)
        {
            http.Response.Headers[DeploymentHeader] = deployment.Name;
        }
    }

    private Task WriteErrorAsync(HttpContext http, Exception e)
    {
        var error = ChatErrorTranslator.Translate(e);
        Log(e, error);
        WriteCacheHeader(http);
        return OpenAIErrorResult.From(error).ExecuteAsync(http);
    }

    private void Log(Exception e, ChatGatewayException error)
    {
        // An upstream failure is logged whatever its status: the caller was told only the status.
        if (error.StatusCode >= 500 || e is UpstreamProviderException)
        {
            logger.LogWarning(e, "Chat request {RequestId} for {Provider}/{Model} failed with {Status}.", context.RequestId, context.ProviderName, context.ModelId, error.StatusCode);
        }
    }
}
