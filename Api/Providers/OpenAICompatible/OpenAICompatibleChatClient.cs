using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using Sdk = OpenAI.Chat;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>
/// A provider over the official OpenAI SDK, for any OpenAI-compatible endpoint (OpenAI, Azure
/// OpenAI v1, Ollama, vLLM, LM Studio). The SDK does not retry: retries belong to the provider's
/// HttpClient (<see cref="ProviderHttpClients"/>), which resends only calls that were never worked on.
/// It calls the SDK's protocol method (<c>CompleteChatAsync(BinaryContent, RequestOptions)</c>): the
/// SDK's pipeline, authentication, error classification and transport, without its object model. The
/// body is written and the answer read straight from and into Microsoft.Extensions.AI types, which
/// saves the per-call allocations and mapping of two object models on the hot path.
/// </summary>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly string _providerName;
    private readonly OpenAIClient _client;
    private readonly ConcurrentDictionary<string, Sdk.ChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ChatClientMetadata _metadata;

    public OpenAICompatibleChatClient(string providerName, ProviderOptions options, HttpClient httpClient)
    {
        _providerName = providerName;
        // The SDK enforces NetworkTimeout itself; the HttpClient must not cut a long stream short.
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(httpClient),
            NetworkTimeout = options.Timeout,
        };
        if (options.Endpoint is not null)
        {
            clientOptions.Endpoint = options.Endpoint;
        }
        // Local servers (Ollama, vLLM, LM Studio) accept any key, but the SDK insists on one.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
        _client = new OpenAIClient(new ApiKeyCredential(key), clientOptions);
        _metadata = new ChatClientMetadata(ProviderTypes.OpenAI, clientOptions.Endpoint ?? new Uri("https://api.openai.com/v1"), options.Models.FirstOrDefault());
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (client, model) = Resolve(options);
        try
        {
            using var body = ChatCompletionRequestWriter.Write(model, messages, options, stream: false);
            var result = await client.CompleteChatAsync(body, new RequestOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
            using var response = result.GetRawResponse();
            return ChatCompletionResponseReader.ReadCompletion(response.Content.ToMemory().Span);
        }
        catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (client, model) = Resolve(options);
        var assembler = new StreamingToolCallAssembler();
        PipelineResponse response;
        try
        {
            using var body = ChatCompletionRequestWriter.Write(model, messages, options, stream: true);
            var result = await client.CompleteChatAsync(body, new RequestOptions { CancellationToken = cancellationToken, BufferResponse = false }).ConfigureAwait(false);
            response = result.GetRawResponse();
        }
        catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
        {
            throw translated;
        }

        using (response)
        {
            var events = SseParser.Create(response.ContentStream!, (_, data) => IsDone(data) ? null : ChatCompletionResponseReader.ReadChunk(data, assembler));
            await using var enumerator = events.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                ChatResponseUpdate? update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                    update = enumerator.Current.Data;
                }
                catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
                {
                    throw translated;
                }
                if (update is not null)
                {
                    yield return update;
                }
            }
        }

        if (assembler.TakeCompletedCalls() is { Count: > 0 } leftover)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [.. leftover]) { FinishReason = ChatFinishReason.ToolCalls };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private (Sdk.ChatClient Client, string Model) Resolve(ChatOptions? options)
    {
        var model = options?.ModelId ?? _metadata.DefaultModelId
            ?? throw new InvalidOperationException($"No model given for provider '{_providerName}'.");
        return (_chatClients.GetOrAdd(model, static (m, c) => c.GetChatClient(m), _client), model);
    }

    private static bool IsDone(ReadOnlySpan<byte> data) => data.SequenceEqual("[DONE]"u8);
}
