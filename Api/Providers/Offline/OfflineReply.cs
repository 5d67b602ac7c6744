using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.Offline;

/// <summary>What the offline model answers to a conversation; a pure function of its input.</summary>
internal sealed record OfflineReply(string ResponseId, IList<AIContent> Contents, ChatFinishReason FinishReason, UsageDetails Usage)
{
    public const string Preamble = "[offline model]";

    public static OfflineReply Compose(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var fingerprint = Fingerprint(messages, options);
        var lastUserText = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        IList<AIContent> contents;
        var finish = ChatFinishReason.Stop;
        string output;

        if (messages.LastOrDefault() is { Role.Value: "tool" } toolMessage)
        {
            output = AnswerToolResults(messages, toolMessage);
            contents = [new TextContent(output)];
        }
        else if (ForcedFunction(options) is { } function)
        {
            output = OfflineToolArguments.Build(function.JsonSchema, lastUserText);
            contents = [FunctionCallArguments.CreateCall($"call_offline_{fingerprint[..16]}", function.Name, output)];
            finish = ChatFinishReason.ToolCalls;
        }
        else if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            output = json.Schema is { } schema
                ? OfflineToolArguments.Build(schema, lastUserText)
                : $$"""{"model":"offline","answer":{{System.Text.Json.JsonSerializer.Serialize(lastUserText, Chat.Wire.ChatWireJsonContext.Default.String)}}}""";
            contents = [new TextContent(output)];
        }
        else
        {
            output = $"{Preamble} This answer comes from the built-in offline model, not from a real provider. You said: {lastUserText}";
            if (options?.MaxOutputTokens is { } max && OfflineTokenEstimator.Count(output) > max)
            {
                output = output[..Math.Min(output.Length, Math.Max(1, max * OfflineTokenEstimator.CharsPerToken))];
                finish = ChatFinishReason.Length;
            }
            contents = [new TextContent(output)];
        }

        var input = messages.Sum(m => OfflineTokenEstimator.Count(m.Text) + OfflineTokenEstimator.PerMessageOverhead);
        var outputTokens = OfflineTokenEstimator.Count(output);
        var usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = outputTokens, TotalTokenCount = input + outputTokens };
        return new OfflineReply($"chatcmpl-offline-{fingerprint[..24]}", contents, finish, usage);
    }

    private static string AnswerToolResults(IReadOnlyList<ChatMessage> messages, ChatMessage toolMessage)
    {
        var names = messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .GroupBy(c => c.CallId).ToDictionary(g => g.Key, g => g.First().Name);
        var text = new StringBuilder(Preamble);
        foreach (var result in toolMessage.Contents.OfType<FunctionResultContent>())
        {
            var name = names.GetValueOrDefault(result.CallId, result.CallId);
            text.Append(" The tool ").Append(name).Append(" returned: ").Append(FunctionCallArguments.ResultToText(result.Result));
        }
        return text.ToString();
    }

    private static AIFunctionDeclaration? ForcedFunction(ChatOptions? options)
    {
        if (options?.ToolMode is not RequiredChatToolMode required)
        {
            return null;
        }
        var functions = options.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        return required.RequiredFunctionName is { } name
            ? functions.FirstOrDefault(f => f.Name == name)
            : functions.FirstOrDefault();
    }

    private static string Fingerprint(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var text = new StringBuilder(options?.ModelId);
        foreach (var message in messages)
        {
            text.Append('\n').Append(message.Role.Value).Append(':').Append(message.Text);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
