using Microsoft.Extensions.AI;

namespace Platform.Api.Tests.Pipeline;

/// <summary>A middleware that notes, in a shared journal, when a call passes through it.</summary>
internal sealed class RecordingChatClient(IChatClient inner, string name, List<string> journal) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        journal.Add(name);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }
}
