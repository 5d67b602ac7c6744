using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Caching;

/// <summary>The flights in progress, one per key and flag combination (stampede protection).</summary>
internal sealed class CacheFlights
{
    private readonly ConcurrentDictionary<(string Key, HybridCacheEntryFlags Flags), object> _running = new();

    /// <summary>Joins the flight for the key, or starts one running <paramref name="work"/>.</summary>
    public CacheFlight<T> Join<T>(string key, HybridCacheEntryFlags flags, Func<CancellationToken, Task<CacheFlightResult<T>>> work)
    {
        var flightKey = (key, flags);
        while (true)
        {
            _running.TryGetValue(flightKey, out var existing);
            if (existing is CacheFlight<T> running && running.TryJoin())
            {
                return running;
            }
            var created = new CacheFlight<T>();
            created.TryJoin();
            var registered = existing is null ? _running.TryAdd(flightKey, created) : _running.TryUpdate(flightKey, created, existing);
            if (registered)
            {
                _ = RunAsync(flightKey, created, work);
                return created;
            }
        }
    }

    private async Task RunAsync<T>((string, HybridCacheEntryFlags) flightKey, CacheFlight<T> flight, Func<CancellationToken, Task<CacheFlightResult<T>>> work)
    {
        try
        {
            await flight.RunAsync(work);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<(string, HybridCacheEntryFlags), object>(flightKey, flight));
        }
    }
}
