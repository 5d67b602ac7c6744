using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Sdk = OpenAI.Chat;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>OpenAI SDK response → Microsoft.Extensions.AI response.</summary>
internal static class OpenAIResponseMapper
{
    public static ChatResponse ToChatResponse(Sdk.ChatCompletion completion)
    {
        var contents = new List<AIContent>();
        foreach (var part in completion.Content)
        {
            if (part.Kind == Sdk.ChatMessageContentPartKind.Text)
            {
                contents.Add(new TextContent(part.Text));
            }
        }
        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            contents.Add(new TextContent(completion.Refusal));
        }
        foreach (var call in completion.ToolCalls)
        {
            contents.Add(FunctionCallArguments.CreateCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = ToUsage(completion.Usage),
        };
    }

    public static ChatResponseUpdate? ToChatResponseUpdate(Sdk.StreamingChatCompletionUpdate update, StreamingToolCallAssembler assembler)
    {
        var contents = new List<AIContent>();
        foreach (var part in update.ContentUpdate)
        {
            if (part.Kind == Sdk.ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
            {
                contents.Add(new TextContent(part.Text));
            }
        }
        foreach (var call in update.ToolCallUpdates)
        {
            assembler.Add(call.Index, call.ToolCallId, call.FunctionName, call.FunctionArgumentsUpdate?.ToString());
        }
        ChatFinishReason? finish = update.FinishReason is { } reason ? ToFinishReason(reason) : null;
        if (finish is not null)
        {
            contents.AddRange(assembler.TakeCompletedCalls());
        }
        if (ToUsage(update.Usage) is { } usage)
        {
            contents.Add(new UsageContent(usage));
        }
        if (contents.Count == 0 && finish is null && update.Role is null)
        {
            return null;
        }

        return new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = update.CompletionId,
            ModelId = update.Model,
            CreatedAt = update.CreatedAt,
            FinishReason = finish,
        };
    }

    public static UsageDetails? ToUsage(Sdk.ChatTokenUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
        CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
        ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
    };

    public static ChatFinishReason ToFinishReason(Sdk.ChatFinishReason reason) => reason switch
    {
        Sdk.ChatFinishReason.Length => ChatFinishReason.Length,
        Sdk.ChatFinishReason.ToolCalls or Sdk.ChatFinishReason.FunctionCall => ChatFinishReason.ToolCalls,
        Sdk.ChatFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        _ => ChatFinishReason.Stop,
    };
}
