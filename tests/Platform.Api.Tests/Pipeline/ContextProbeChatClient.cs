using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Tests.Pipeline;

/// <summary>A client right above the provider, like the cache: reads the request context and reports a cache status.</summary>
internal sealed class ContextProbeChatClient(IChatClient inner, IChatRequestContextAccessor accessor, ConcurrentQueue<ChatRequestContext> seen)
    : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Observe();
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Observe();
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private void Observe()
    {
        var context = accessor.Current ?? throw new InvalidOperationException("No request context on this flow.");
        context.CacheStatus = context.NoCache ? "bypass" : "miss";
        seen.Enqueue(context);
    }
}
