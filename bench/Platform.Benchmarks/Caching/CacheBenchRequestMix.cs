using System.Collections.Concurrent;

namespace Platform.Benchmarks.Caching;

/// <summary>
/// A replayed request mix with repeats, sent round-robin to the Api instances at concurrency 8:
/// prompts skewed towards a popular few, some streaming, some at temperature 0.8 (not cacheable under
/// OnlyDeterministic) and some with Cache-Control: no-cache. "Repeatable" = a cacheable request whose
/// prompt was already answered before it was sent (streaming and JSON share an entry).
/// </summary>
internal sealed record CacheBenchRequestMix(int Requests, int Distinct, int Streaming, int Creative, int NoCache, int Repeatable, int RepeatableHits, int Hits)
{
    public static async Task<CacheBenchRequestMix> ReplayAsync(CacheBenchClient client, Uri[] apis, int requests, int distinctPrompts, int seed)
    {
        var random = new Random(seed);
        var plan = Enumerable.Range(0, requests).Select(i => new Planned(
            i,
            $"mix prompt {(int)(distinctPrompts * Math.Pow(random.NextDouble(), 2))}",
            Stream: random.NextDouble() < 0.2,
            Creative: random.NextDouble() < 0.1,
            NoCache: random.NextDouble() < 0.03)).ToArray();
        var answered = new ConcurrentDictionary<string, bool>();
        var repeatable = 0;
        var repeatableHits = 0;
        var hits = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < plan.Length)
            {
                var request = plan[index];
                var cacheable = !request.Creative && !request.NoCache;
                var seenBefore = answered.ContainsKey(request.Prompt);
                var status = await client.SendAsync(apis[index % apis.Length], request.Prompt, noCache: request.NoCache, stream: request.Stream, temperature: request.Creative ? 0.8 : null);
                if (status == "hit")
                {
                    Interlocked.Increment(ref hits);
                }
                if (cacheable && seenBefore)
                {
                    Interlocked.Increment(ref repeatable);
                    if (status == "hit")
                    {
                        Interlocked.Increment(ref repeatableHits);
                    }
                }
                if (!request.Creative)
                {
                    answered.TryAdd(request.Prompt, true);
                }
            }
        }));
        return new CacheBenchRequestMix(
            requests, plan.Select(p => p.Prompt).Distinct().Count(), plan.Count(p => p.Stream), plan.Count(p => p.Creative), plan.Count(p => p.NoCache),
            repeatable, repeatableHits, hits);
    }

    public void Print()
    {
        Console.WriteLine($"Replayed mix: {Requests} requests over {Distinct} distinct prompts (skewed: index = floor(200·u²)), {Streaming} streaming, {Creative} at temperature 0.8 (bypass), {NoCache} with no-cache; round-robin over 2 instances, concurrency 8.");
        Console.WriteLine();
        Console.WriteLine("| requests | hits (all) | repeatable | served from cache | hit rate on repeatable | target |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | --- |");
        var rate = Repeatable == 0 ? 0 : (double)RepeatableHits / Repeatable;
        Console.WriteLine($"| {Requests} | {Hits} | {Repeatable} | {RepeatableHits} | {rate:P1} | ≥ 90% {(rate >= 0.9 ? "met" : "NOT met")} |");
    }

    private sealed record Planned(int Index, string Prompt, bool Stream, bool Creative, bool NoCache);
}
