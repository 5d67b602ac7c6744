using Microsoft.Extensions.AI;
using Platform.Api.Chat.Wire;
using Platform.Api.Pipeline;

namespace Platform.Api.Chat;

/// <summary><see cref="ChatResponse"/> → OpenAI <c>chat.completion</c>.</summary>
public static class ChatResponseMapper
{
    public static ChatCompletionResponse ToWire(ChatResponse response, string fallbackModel)
    {
        var calls = new List<WireToolCall>();
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            calls.Add(new WireToolCall
            {
                Id = call.CallId,
                Type = "function",
                Function = new WireFunctionCall { Name = call.Name, Arguments = FunctionCallArguments.ToJson(call) },
            });
        }
        var text = response.Text;
        return new ChatCompletionResponse
        {
            Id = response.ResponseId ?? NewCompletionId(),
            Created = (response.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            Model = response.ModelId ?? fallbackModel,
            Choices =
            [
                new WireChoice
                {
                    Index = 0,
                    Message = new WireResponseMessage
                    {
                        Content = text.Length == 0 && calls.Count > 0 ? null : text,
                        ToolCalls = calls.Count > 0 ? calls : null,
                    },
                    FinishReason = (response.FinishReason ?? (calls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop)).Value,
                },
            ],
            Usage = ToWire(response.Usage),
        };
    }

    public static WireUsage? ToWire(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }
        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        return new WireUsage
        {
            PromptTokens = input,
            CompletionTokens = output,
            TotalTokens = usage.TotalTokenCount ?? input + output,
            PromptTokensDetails = new WirePromptTokensDetails { CachedTokens = usage.CachedInputTokenCount ?? 0 },
            CompletionTokensDetails = new WireCompletionTokensDetails { ReasoningTokens = usage.ReasoningTokenCount ?? 0 },
        };
    }

    public static string NewCompletionId() => $"chatcmpl-{Guid.CreateVersion7():N}";
}
