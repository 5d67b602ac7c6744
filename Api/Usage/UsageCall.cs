using System.Diagnostics;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Usage;

namespace Platform.Api.Usage;

/// <summary>What one provider call has shown so far: timing, usage, tool calls.</summary>
internal sealed class UsageCall(ChatRequestContext? context, string model, bool streaming)
{
    private const string CacheHitStatus = "hit";
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _createdAt = DateTimeOffset.UtcNow;
    private double? _timeToFirstTokenMs;
    private UsageDetails? _usage;
    private int _toolCalls;

    public void Observe(UsageDetails? usage, int toolCalls)
    {
        _usage = usage;
        _toolCalls = toolCalls;
    }

    public void ObserveChunk(ChatResponseUpdate update)
    {
        _timeToFirstTokenMs ??= Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case UsageContent usage:
                    _usage ??= new UsageDetails();
                    _usage.Add(usage.Details);
                    break;
                case FunctionCallContent:
                    _toolCalls++;
                    break;
            }
        }
    }

    public UsageRecord ToRecord(string status, string? tenantId, string? apiKeyId)
    {
        var cacheHit = context?.CacheStatus == CacheHitStatus;
        var input = ToInt(_usage?.InputTokenCount);
        var output = ToInt(_usage?.OutputTokenCount);
        return new UsageRecord
        {
            Id = Guid.CreateVersion7(_createdAt),
            RequestId = context?.RequestId ?? "none",
            ApiKeyId = apiKeyId,
            TenantId = tenantId ?? context?.TenantId ?? "anonymous",
            Provider = context?.ProviderName ?? "unknown",
            Model = model,
            InputTokens = cacheHit ? 0 : input,
            OutputTokens = cacheHit ? 0 : output,
            CachedTokens = cacheHit ? 0 : ToInt(_usage?.CachedInputTokenCount),
            ReasoningTokens = cacheHit ? 0 : ToInt(_usage?.ReasoningTokenCount),
            CacheHit = cacheHit,
            TokensSaved = cacheHit ? input + output : 0,
            LatencyMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds,
            TimeToFirstTokenMs = streaming ? _timeToFirstTokenMs : null,
            ToolCalls = _toolCalls,
            Status = status,
            Streaming = streaming,
            CreatedAt = _createdAt,
        };
    }

    private static int ToInt(long? value) => (int)Math.Clamp(value ?? 0, 0, int.MaxValue);
}
