using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Usage;

namespace Platform.Api.Usage;

/// <summary>What one provider call has shown so far: timing, usage, tool calls, and the answer's text when it may have to be counted.</summary>
internal sealed class UsageCall(ChatRequestContext? context, string model, bool streaming, IEnumerable<ChatMessage> messages, UsageTokenCounter tokens)
{
    private const string CacheHitStatus = "hit";
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _createdAt = DateTimeOffset.UtcNow;
    private double? _timeToFirstTokenMs;
    private UsageDetails? _usage;
    private int _toolCalls;
    // What was streamed, for counting when the provider's usage never comes (it is sent last).
    private StringBuilder? _streamed;

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
                case FunctionCallContent call:
                    _toolCalls++;
                    (_streamed ??= new()).Append(call.Name).Append(FunctionCallArguments.ToJson(call));
                    break;
                case TextContent text:
                    (_streamed ??= new()).Append(text.Text);
                    break;
                case TextReasoningContent reasoning:
                    (_streamed ??= new()).Append(reasoning.Text);
                    break;
            }
        }
    }

    public UsageRecord ToRecord(string status, string? tenantId, string? apiKeyId)
    {
        var cacheHit = context?.CacheStatus == CacheHitStatus;
        var input = ToInt(_usage?.InputTokenCount);
        var output = ToInt(_usage?.OutputTokenCount);
        // No figures from the provider for a call it worked on (a failed one is not billed): count them.
        var estimated = _usage is null && !cacheHit && !status.StartsWith(UsageRecordStatus.ErrorPrefix, StringComparison.Ordinal);
        if (estimated)
        {
            input = tokens.CountInput(model, messages);
            output = _streamed is null ? 0 : tokens.CountText(model, _streamed.ToString());
        }
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
            Estimated = estimated,
        };
    }

    private static int ToInt(long? value) => (int)Math.Clamp(value ?? 0, 0, int.MaxValue);
}
