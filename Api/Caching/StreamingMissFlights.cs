using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Platform.Api.Caching;

/// <summary>
/// Identical streaming misses in flight. The first caller streams from the model and leads; callers
/// arriving meanwhile wait for its complete answer and replay it, so a burst of the same prompt costs
/// one model call. A follower therefore sees its first token when the leader's stream ends, not earlier.
/// When the leader's stream fails or is abandoned, followers get null and call the model themselves.
/// </summary>
public sealed class StreamingMissFlights
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ChatResponse?>> _flights = new(StringComparer.Ordinal);

    /// <summary>True when the caller leads (and must call <see cref="End"/>); otherwise <paramref name="flight"/> is the leader's.</summary>
    public bool TryLead(string key, out TaskCompletionSource<ChatResponse?> flight)
    {
        var mine = new TaskCompletionSource<ChatResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        flight = _flights.GetOrAdd(key, mine);
        return ReferenceEquals(flight, mine);
    }

    /// <param name="response">The complete answer, or null when the stream did not complete.</param>
    public void End(string key, TaskCompletionSource<ChatResponse?> flight, ChatResponse? response)
    {
        _flights.TryRemove(new KeyValuePair<string, TaskCompletionSource<ChatResponse?>>(key, flight));
        flight.TrySetResult(response);
    }
}
