using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Platform.Api.Pipeline;

namespace Platform.Api.Caching;

/// <summary>
/// The response cache, innermost in the pipeline (right above the provider), so every model call the
/// tool loop makes is looked up on its own and tools are never skipped. Streaming and non-streaming
/// requests share one entry holding the complete <see cref="ChatResponse"/>; a hit on a stream is
/// replayed as updates. Concurrent identical misses make one model call: HybridCache coalesces the
/// non-streaming ones, <see cref="StreamingMissFlights"/> the streaming ones. Sets
/// <see cref="ChatRequestContext.CacheStatus"/> (x-cache).
/// </summary>
public sealed class ResponseCachingChatClient(
    IChatClient innerClient,
    HybridCache cache,
    IChatRequestContextAccessor contextAccessor,
    ResponseCachePolicy policy,
    StreamingMissFlights flights) : DelegatingChatClient(innerClient)
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Bypass = "bypass";

    private const HybridCacheEntryFlags SkipRead = HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = contextAccessor.Current;
        if (context is null || !policy.Applies(context, options))
        {
            MarkBypass(context);
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        var messageList = messages as IList<ChatMessage> ?? messages.ToList();
        var key = ResponseCacheKey.Compute(context, messageList, options);
        var call = new UpstreamCall(this, messageList, options);
        var response = await cache.GetOrCreateAsync(
            key,
            call,
            static (call, token) => call.InvokeAsync(token),
            EntryOptions(context, context.NoCache ? SkipRead : HybridCacheEntryFlags.None),
            Tags(context),
            cancellationToken);
        // Callers that joined another caller's upstream call did not pay for one: for them it is a hit.
        context.CacheStatus = call.Invoked ? Miss : Hit;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = contextAccessor.Current;
        if (context is null || !policy.Applies(context, options))
        {
            MarkBypass(context);
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                yield return update;
            }
            yield break;
        }

        var messageList = messages as IList<ChatMessage> ?? messages.ToList();
        var key = ResponseCacheKey.Compute(context, messageList, options);
        if (!context.NoCache)
        {
            var cached = await cache.GetOrCreateAsync<ChatResponse?>(
                key,
                static _ => ValueTask.FromResult<ChatResponse?>(null),
                EntryOptions(context, HybridCacheEntryFlags.DisableUnderlyingData),
                cancellationToken: cancellationToken);
            if (cached is not null)
            {
                context.CacheStatus = Hit;
                foreach (var update in cached.ToChatResponseUpdates())
                {
                    yield return update;
                }
                yield break;
            }
        }

        // A no-cache request wants its own answer: it neither waits for nor leads a shared flight.
        TaskCompletionSource<ChatResponse?>? leading = null;
        if (!context.NoCache)
        {
            if (flights.TryLead(key, out var flight))
            {
                leading = flight;
            }
            else if (await flight.Task.WaitAsync(cancellationToken) is { } shared)
            {
                context.CacheStatus = Hit;
                foreach (var update in shared.ToChatResponseUpdates())
                {
                    yield return update;
                }
                yield break;
            }
        }

        context.CacheStatus = Miss;
        ChatResponse? complete = null;
        try
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in base.GetStreamingResponseAsync(messageList, options, cancellationToken))
            {
                updates.Add(update);
                yield return update;
            }
            // Reached only when the stream completed and the client read it to the end: an abandoned or
            // failed stream never gets here, so a partial answer is never stored or shared.
            complete = updates.ToChatResponse();
            await cache.SetAsync(key, complete, EntryOptions(context, HybridCacheEntryFlags.None), Tags(context), cancellationToken);
        }
        finally
        {
            if (leading is not null)
            {
                flights.End(key, leading, complete);
            }
        }
    }

    private HybridCacheEntryOptions EntryOptions(ChatRequestContext context, HybridCacheEntryFlags flags)
    {
        var ttl = policy.GetTtl(context);
        return new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl, Flags = flags };
    }

    private static string[] Tags(ChatRequestContext context) =>
        [ResponseCacheTags.Tenant(context.TenantId), ResponseCacheTags.Model(context.ModelId), ResponseCacheTags.Provider(context.ProviderName)];

    private static void MarkBypass(ChatRequestContext? context)
    {
        if (context is not null)
        {
            context.CacheStatus = Bypass;
        }
    }

    private Task<ChatResponse> CallUpstreamAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetResponseAsync(messages, options, cancellationToken);

    /// <summary>The factory's state: remembers whether this caller's own upstream call ran.</summary>
    private sealed class UpstreamCall(ResponseCachingChatClient owner, IList<ChatMessage> messages, ChatOptions? options)
    {
        public bool Invoked { get; private set; }

        public async ValueTask<ChatResponse> InvokeAsync(CancellationToken cancellationToken)
        {
            Invoked = true;
            return await owner.CallUpstreamAsync(messages, options, cancellationToken);
        }
    }
}
