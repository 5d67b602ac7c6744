using Microsoft.Extensions.AI;

namespace Platform.Api.Pipeline;

/// <summary>
/// Builds the chain of <see cref="DelegatingChatClient"/>s around a provider (ChatClientBuilder is not
/// restorable here): ordered by <see cref="ChatPipelineStage"/>, lowest stage outermost.
/// </summary>
public sealed class ChatPipelineBuilder(IEnumerable<ChatMiddlewareRegistration> registrations, IServiceProvider services)
{
    private readonly ChatMiddlewareRegistration[] _outermostFirst =
        registrations.Select((r, i) => (r, i)).OrderBy(x => x.r.Stage).ThenBy(x => x.i).Select(x => x.r).ToArray();

    public IReadOnlyList<ChatPipelineStage> Stages => _outermostFirst.Select(r => r.Stage).ToArray();

    public IChatClient Build(IChatClient provider)
    {
        var client = provider;
        for (var i = _outermostFirst.Length - 1; i >= 0; i--)
        {
            client = _outermostFirst[i].Factory(client, services)
                ?? throw new InvalidOperationException($"The chat middleware factory for stage {_outermostFirst[i].Stage} returned null.");
        }
        return client;
    }
}
