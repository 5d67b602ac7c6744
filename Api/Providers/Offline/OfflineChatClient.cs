using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Platform.Api.Providers.Offline;

/// <summary>
/// The built-in provider that needs no key: deterministic answers that say they come from the
/// offline model, approximate token usage, several chunks when streaming, and a tool call when the
/// request forces one, so that every path of the pipeline can be exercised without a network.
/// </summary>
public sealed class OfflineChatClient(string providerName) : IChatClient
{
    public const string DefaultModel = "offline";
    private const int WordsPerChunk = 3;
    private readonly ChatClientMetadata _metadata = new(ProviderTypes.Offline, null, DefaultModel);

    public string ProviderName { get; } = providerName;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = OfflineReply.Compose(messages.ToList(), options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.Contents))
        {
            ResponseId = reply.ResponseId,
            ModelId = options?.ModelId ?? DefaultModel,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = reply.FinishReason,
            Usage = reply.Usage,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = OfflineReply.Compose(messages.ToList(), options);
        var model = options?.ModelId ?? DefaultModel;
        var created = DateTimeOffset.UtcNow;
        ChatResponseUpdate Update(IList<AIContent> contents, ChatFinishReason? finish = null) => new(ChatRole.Assistant, contents)
        {
            ResponseId = reply.ResponseId,
            ModelId = model,
            CreatedAt = created,
            FinishReason = finish,
        };

        foreach (var content in reply.Contents)
        {
            if (content is TextContent text)
            {
                foreach (var piece in SplitIntoChunks(text.Text))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await Task.Yield();
                    yield return Update([new TextContent(piece)]);
                }
            }
            else
            {
                yield return Update([content]);
            }
        }
        yield return Update([new UsageContent(reply.Usage)], reply.FinishReason);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static IEnumerable<string> SplitIntoChunks(string text)
    {
        var start = 0;
        var words = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ' && ++words % WordsPerChunk == 0)
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
