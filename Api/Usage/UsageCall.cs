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
    // The answer's text so far, for counting when the provider's usage never comes (a stream sends it last).
    private StringBuilder? _streamed;

    public void Observe(ChatResponse response)
    {
        _usage = response.Usage;
        _toolCalls = 0;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent)
                {
                    _toolCalls++;
                }
                // Kept only when there is nothing better to bill from.
                if (_usage is null)
                {
                    Append(content);
                }
            }
        }
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
                    Append(content);
                    break;
                default:
                    Append(content);
                    break;
            }
        }
    }

    private void Append(AIContent content)
    {
        switch (content)
        {
            case FunctionCallContent call:
                (_streamed ??= new()).Append(call.Name).Append(FunctionCallArguments.ToJson(call));
                break;
            case TextContent { Text.Length: > 0 } text:
                (_streamed ??= new()).Append(text.Text);
                break;
            case TextReasoningContent { Text.Length: > 0 } reasoning:
                (_streamed ??= new()).Append(reasoning.Text);
                break;
        }
    }

    public UsageRecord ToRecord(string status, string? tenantId, string? apiKeyId)
    {
        var cacheHit = context?.CacheStatus == CacheHitStatus;
        var input = ToInt(_usage?.InputTokenCount);
        var output = ToInt(_usage?.OutputTokenCount);
        // No figures from the provider for a call it worked on: count them. A call that failed before
        // any output is not billed; one that broke off mid-answer was.
        var failed = status.StartsWith(UsageRecordStatus.ErrorPrefix, StringComparison.Ordinal);
        var estimated = _usage is null && !cacheHit && (!failed || _streamed is not null);
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
            // The deployment that answered: its provider, and its model when a fallback model answered.
            Provider = context?.ServedBy?.ProviderName ?? context?.ProviderName ?? "unknown",
            Deployment = context?.ServedBy?.Name,
            Model = context?.ServedBy?.ModelName ?? model,
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
