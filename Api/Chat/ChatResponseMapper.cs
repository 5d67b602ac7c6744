using Microsoft.Extensions.AI;
using Platform.Api.Chat.Wire;
using Platform.Api.Pipeline;

namespace Platform.Api.Chat;

/// <summary>
/// <see cref="ChatResponse"/> → OpenAI <c>chat.completion</c>. After a tool loop the response holds every
/// round; the caller gets the text of all rounds, its own function calls, the last finish reason and the
/// usage of all rounds, but not the calls the gateway ran nor their results.
/// </summary>
public static class ChatResponseMapper
{
    public static ChatCompletionResponse ToWire(ChatResponse response, string fallbackModel, IList<AITool>? requestTools = null)
    {
        var calls = new List<WireToolCall>();
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Where(c => IsCallersCall(c, requestTools)))
        {
            calls.Add(new WireToolCall
            {
                Id = call.CallId,
                Type = "function",
                Function = new WireFunctionCall { Name = call.Name, Arguments = FunctionCallArguments.ToJson(call) },
            });
        }
        var text = response.Text;
        var finish = response.FinishReason ?? (calls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop);
        if (finish == ChatFinishReason.ToolCalls && calls.Count == 0)
        {
            finish = ChatFinishReason.Stop; // the calls were the gateway's own
        }
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
                    FinishReason = finish.Value,
                },
            ],
            Usage = ToWire(response.Usage),
        };
    }

    /// <summary>
    /// Whether a model's call goes back to the caller. The gateway runs the functions it added to the
    /// request (invocable <see cref="AIFunction"/>s: the MCP tools); a function the caller declared is a
    /// declaration only, and a call the model made up is the caller's to answer too.
    /// </summary>
    public static bool IsCallersCall(FunctionCallContent call, IList<AITool>? requestTools)
    {
        if (call.InformationalOnly)
        {
            return false;
        }
        if (requestTools is not null)
        {
            foreach (var tool in requestTools)
            {
                if (tool is AIFunction && tool.Name == call.Name)
                {
                    return false;
                }
            }
        }
        return true;
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
