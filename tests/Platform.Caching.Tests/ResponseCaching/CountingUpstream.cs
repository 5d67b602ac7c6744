using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Platform.Caching.Tests.ResponseCaching;

/// <summary>
/// Sits right below the response cache, above the provider, and counts every call that reaches the
/// model. A prompt can ask it to be slow, to fail, or to fail halfway through a stream.
/// </summary>
public sealed class CountingUpstream
{
    public const string SlowMarker = "[slow]";
    public const string FailMarker = "[fail-once]";
    public const string BrokenStreamMarker = "[broken-stream]";
    public const string SlowStreamMarker = "[slow-stream]";

    private int _calls;
    private int _failures;

    public int Calls => Volatile.Read(ref _calls);

    public IChatClient Wrap(IChatClient inner) => new CountingChatClient(inner, this);

    private sealed class CountingChatClient(IChatClient inner, CountingUpstream owner) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._calls);
            var prompt = string.Concat(messages.Select(m => m.Text));
            if (prompt.Contains(SlowMarker))
            {
                await Task.Delay(300, cancellationToken);
            }
            if (prompt.Contains(FailMarker) && Interlocked.Increment(ref owner._failures) == 1)
            {
                throw new HttpRequestException("The model provider failed.");
            }
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._calls);
            var prompt = string.Concat(messages.Select(m => m.Text));
            var sent = 0;
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                if (prompt.Contains(BrokenStreamMarker) && sent == 1)
                {
                    throw new HttpRequestException("The model provider dropped the stream.");
                }
                yield return update;
                sent++;
            }
            if (prompt.Contains(SlowStreamMarker))
            {
                for (var i = 0; i < 10; i++)
                {
                    await Task.Delay(50, cancellationToken);
                    yield return new ChatResponseUpdate(ChatRole.Assistant, " more");
                }
            }
        }
    }
}
