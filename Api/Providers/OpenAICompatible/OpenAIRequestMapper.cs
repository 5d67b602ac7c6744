using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Sdk = OpenAI.Chat;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>Microsoft.Extensions.AI request → OpenAI SDK request.</summary>
internal static class OpenAIRequestMapper
{
    public static readonly ChatRole Developer = new("developer");

    public static List<Sdk.ChatMessage> ToSdkMessages(IEnumerable<ChatMessage> messages)
    {
        var result = new List<Sdk.ChatMessage>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                result.Add(new Sdk.SystemChatMessage(message.Text));
            }
            else if (message.Role == Developer)
            {
                result.Add(new Sdk.DeveloperChatMessage(message.Text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                result.Add(ToAssistantMessage(message));
            }
            else if (message.Role == ChatRole.Tool)
            {
                foreach (var toolResult in message.Contents.OfType<FunctionResultContent>())
                {
                    result.Add(new Sdk.ToolChatMessage(toolResult.CallId, FunctionCallArguments.ResultToText(toolResult.Result)));
                }
            }
            else
            {
                result.Add(new Sdk.UserChatMessage(ToParts(message.Contents)) { ParticipantName = message.AuthorName });
            }
        }
        return result;
    }

    public static Sdk.ChatCompletionOptions ToSdkOptions(ChatOptions? options)
    {
        var sdk = new Sdk.ChatCompletionOptions();
        if (options is null)
        {
            return sdk;
        }
        sdk.Temperature = options.Temperature;
        sdk.TopP = options.TopP;
        sdk.MaxOutputTokenCount = options.MaxOutputTokens;
        sdk.FrequencyPenalty = options.FrequencyPenalty;
        sdk.PresencePenalty = options.PresencePenalty;
        sdk.Seed = options.Seed;
        if (options.StopSequences is { Count: > 0 } stops)
        {
            foreach (var stop in stops)
            {
                sdk.StopSequences.Add(stop);
            }
        }
        if (options.AdditionalProperties?.TryGetValue(ChatOptionKeys.EndUserId, out var user) == true && user is string endUser)
        {
            sdk.EndUserId = endUser;
        }
        sdk.ResponseFormat = options.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } json => Sdk.ChatResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription,
                options.AdditionalProperties?.TryGetValue(ChatOptionKeys.StrictJsonSchema, out var strict) == true ? strict as bool? : null),
            ChatResponseFormatJson => Sdk.ChatResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };
        foreach (var function in options.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            sdk.Tools.Add(Sdk.ChatTool.CreateFunctionTool(
                function.Name, function.Description, BinaryData.FromString(function.JsonSchema.GetRawText())));
        }
        if (sdk.Tools.Count > 0)
        {
            sdk.AllowParallelToolCalls = options.AllowMultipleToolCalls;
            sdk.ToolChoice = options.ToolMode switch
            {
                NoneChatToolMode => Sdk.ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => Sdk.ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => Sdk.ChatToolChoice.CreateRequiredChoice(),
                AutoChatToolMode => Sdk.ChatToolChoice.CreateAutoChoice(),
                _ => null,
            };
        }
        return sdk;
    }

    private static Sdk.AssistantChatMessage ToAssistantMessage(ChatMessage message)
    {
        var calls = message.Contents.OfType<FunctionCallContent>()
            .Select(c => Sdk.ChatToolCall.CreateFunctionToolCall(c.CallId, c.Name, BinaryData.FromString(FunctionCallArguments.ToJson(c))))
            .ToList();
        if (calls.Count == 0)
        {
            return new Sdk.AssistantChatMessage(message.Text) { ParticipantName = message.AuthorName };
        }
        var assistant = new Sdk.AssistantChatMessage(calls) { ParticipantName = message.AuthorName };
        if (!string.IsNullOrEmpty(message.Text))
        {
            assistant.Content.Add(Sdk.ChatMessageContentPart.CreateTextPart(message.Text));
        }
        return assistant;
    }

    private static List<Sdk.ChatMessageContentPart> ToParts(IList<AIContent> contents)
    {
        var parts = new List<Sdk.ChatMessageContentPart>(contents.Count);
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    parts.Add(Sdk.ChatMessageContentPart.CreateTextPart(text.Text));
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    parts.Add(Sdk.ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(data.Data), data.MediaType, Detail(data)));
                    break;
                case UriContent uri:
                    parts.Add(Sdk.ChatMessageContentPart.CreateImagePart(uri.Uri, Detail(uri)));
                    break;
            }
        }
        return parts;
    }

    private static Sdk.ChatImageDetailLevel? Detail(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(ChatOptionKeys.ImageDetail, out var detail) == true && detail is string { Length: > 0 } level
            ? new Sdk.ChatImageDetailLevel(level)
            : null;
}
