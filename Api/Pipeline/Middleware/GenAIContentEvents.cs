using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Platform.Api.Pipeline.Middleware;

/// <summary>
/// Message content as span events; only used when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
/// is true, because prompts and answers may hold personal data.
/// </summary>
internal static class GenAIContentEvents
{
    public static void AddInputEvents(Activity activity, IEnumerable<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            activity.AddEvent(new ActivityEvent($"gen_ai.{message.Role.Value}.message", tags: new ActivityTagsCollection
            {
                ["gen_ai.message.role"] = message.Role.Value,
                ["gen_ai.message.content"] = message.Text,
            }));
        }
    }

    public static void AddOutputEvent(Activity activity, ChatResponse response)
    {
        activity.AddEvent(new ActivityEvent("gen_ai.choice", tags: new ActivityTagsCollection
        {
            ["gen_ai.response.finish_reason"] = response.FinishReason?.Value,
            ["gen_ai.message.content"] = response.Text,
            ["gen_ai.message.tool_calls"] = string.Join(",", response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.Name)),
        }));
    }
}
