using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using Sdk = OpenAI.Chat;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>
/// A provider over the official OpenAI SDK, for any OpenAI-compatible endpoint (OpenAI, Azure
/// OpenAI v1, Ollama, vLLM, LM Studio). The SDK does not retry: retries and circuit breaking
/// belong to the HttpClient pipeline (ServiceDefaults' resilience handler) and to our middleware.
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
        var (client, request, sdkOptions) = Prepare(messages, options);
        try
        {
            var result = await client.CompleteChatAsync(request, sdkOptions, cancellationToken).ConfigureAwait(false);
            return OpenAIResponseMapper.ToChatResponse(result.Value);
        }
        catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (client, request, sdkOptions) = Prepare(messages, options);
        var updates = client.CompleteChatStreamingAsync(request, sdkOptions, cancellationToken);
        var assembler = new StreamingToolCallAssembler();
        await using var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            Sdk.StreamingChatCompletionUpdate update;
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
                update = enumerator.Current;
            }
            catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
            {
                throw translated;
            }

            if (OpenAIResponseMapper.ToChatResponseUpdate(update, assembler) is { } mapped)
            {
                yield return mapped;
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

    private (Sdk.ChatClient Client, List<Sdk.ChatMessage> Messages, Sdk.ChatCompletionOptions Options) Prepare(
        IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var model = options?.ModelId ?? _metadata.DefaultModelId
            ?? throw new InvalidOperationException($"No model given for provider '{_providerName}'.");
        var client = _chatClients.GetOrAdd(model, static (m, c) => c.GetChatClient(m), _client);
        return (client, OpenAIRequestMapper.ToSdkMessages(messages), OpenAIRequestMapper.ToSdkOptions(options));
    }
}
