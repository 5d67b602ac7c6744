using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Platform.Api.Caching;
using Platform.Api.Pipeline;

namespace Platform.Benchmarks.Caching;

/// <summary>
/// What an L1 hit costs inside the middleware, without HTTP: computing the key and reading a
/// ChatResponse back from memory (deserialized per caller, since ChatResponse is mutable).
/// </summary>
internal static class InProcessCacheCost
{
    public static async Task<(double KeyMicroseconds, double HitMicroseconds)> MeasureAsync(HybridCache cache, int iterations)
    {
        var context = new ChatRequestContext { RequestId = "bench", TenantId = "anonymous", ProviderName = "offline", ModelId = "offline", RequestedModel = "offline" };
        ChatMessage[] messages = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Say something about foxes.")];
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 64 };
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Foxes are small omnivores of the dog family."))
        {
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 9, TotalTokenCount = 21 },
            FinishReason = ChatFinishReason.Stop,
        };
        var key = ResponseCacheKey.Compute(context, messages, options);
        await cache.SetAsync(key, answer);

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            ResponseCacheKey.Compute(context, messages, options);
        }
        var keyCost = Stopwatch.GetElapsedTime(started).TotalMicroseconds / iterations;

        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            await cache.GetOrCreateAsync(key, static _ => ValueTask.FromResult<ChatResponse>(null!));
        }
        var hitCost = Stopwatch.GetElapsedTime(started).TotalMicroseconds / iterations;
        return (keyCost, hitCost);
    }
}
