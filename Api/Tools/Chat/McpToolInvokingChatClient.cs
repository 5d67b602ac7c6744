using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Schema;

namespace Platform.Api.Tools.Chat;

/// <summary>
/// Runs MCP tool calls server-side. The request's mcp entries become function declarations; when the
/// model calls them, the calls run in parallel through the session pool, their results are appended and
/// the model is asked again, up to <see cref="McpOptions.MaxToolRounds"/> rounds. Tool failures and
/// invalid arguments go back to the model as tool results. Client function calls are never run here:
/// when the model mixes them with MCP calls, the MCP calls run, the client calls are dropped from that
/// turn, and the model (now holding the MCP results) issues them again in a later answer, which is
/// returned to the caller untouched.
/// </summary>
public sealed class McpToolInvokingChatClient(
    IChatClient innerClient,
    IChatRequestContextAccessor contexts,
    McpToolSelector selector,
    McpToolInvoker invoker,
    int maxRounds,
    ILogger<McpToolInvokingChatClient> logger) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var tools = await SelectAsync(history, options, cancellationToken);
        if (tools.Count == 0)
        {
            return await base.GetResponseAsync(history, options, cancellationToken);
        }

        var roundOptions = WithTools(options, tools);
        UsageDetails? usage = null;
        for (var round = 0; ; round++)
        {
            var response = await base.GetResponseAsync(history, roundOptions, cancellationToken);
            usage = Sum(usage, response.Usage);
            var calls = McpCalls(response.Messages, tools);
            if (calls.Count == 0 || round > maxRounds)
            {
                response.Usage = usage;
                return response;
            }
            await RunRoundAsync(history, response.Messages, calls, tools, cancellationToken);
            roundOptions = NextRoundOptions(roundOptions, round + 1);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var tools = await SelectAsync(history, options, cancellationToken);
        if (tools.Count == 0)
        {
            await foreach (var update in base.GetStreamingResponseAsync(history, options, cancellationToken))
            {
                yield return update;
            }
            yield break;
        }

        var roundOptions = WithTools(options, tools);
        for (var round = 0; ; round++)
        {
            var updates = new List<ChatResponseUpdate>();
            var held = new List<ChatResponseUpdate>();
            await foreach (var update in base.GetStreamingResponseAsync(history, roundOptions, cancellationToken))
            {
                updates.Add(update);
                // Text streams through at once; calls, usage and the finish reason wait until we know whether this round ends the answer.
                if (update.FinishReason is not null || update.Contents.Any(c => c is FunctionCallContent or UsageContent))
                {
                    held.Add(update);
                    continue;
                }
                yield return update;
            }
            var responseMessages = updates.ToChatResponse().Messages;
            var calls = McpCalls(responseMessages, tools);
            if (calls.Count == 0 || round > maxRounds)
            {
                foreach (var update in held)
                {
                    yield return update;
                }
                yield break;
            }
            await RunRoundAsync(history, responseMessages, calls, tools, cancellationToken);
            roundOptions = NextRoundOptions(roundOptions, round + 1);
        }
    }

    private async Task<Dictionary<string, McpTool>> SelectAsync(List<ChatMessage> history, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (contexts.Current is not { ExtensionTools.Count: > 0 } context)
        {
            return [];
        }
        var required = (options?.ToolMode as RequiredChatToolMode)?.RequiredFunctionName;
        var tools = await selector.SelectAsync(context.ExtensionTools, history, required, cancellationToken);
        // The request mapping let a tool_choice naming no client function through, for an MCP tool to match it here.
        if (required is not null && !tools.ContainsKey(required) && options?.Tools?.Any(t => t.Name == required) != true)
        {
            throw ChatGatewayException.BadRequest(
                $"tool_choice names '{required}', which is neither a function in 'tools' nor an MCP tool of this request (name it in allowed_tools, by its exposed name).",
                "tool_choice.function.name");
        }
        return tools;
    }

    private async Task RunRoundAsync(
        List<ChatMessage> history, IList<ChatMessage> answer, List<FunctionCallContent> calls, Dictionary<string, McpTool> tools, CancellationToken cancellationToken)
    {
        foreach (var message in answer)
        {
            // The caller's own function calls of this turn are dropped: they have no result yet, and the model asks again.
            var contents = message.Contents.Where(c => c is not FunctionCallContent call || tools.ContainsKey(call.Name)).ToList();
            if (contents.Count > 0)
            {
                history.Add(new ChatMessage(message.Role, contents) { AuthorName = message.AuthorName, MessageId = message.MessageId });
            }
        }
        var results = await Task.WhenAll(calls.Select(call => RunAsync(tools[call.Name], call, cancellationToken)));
        history.Add(new ChatMessage(ChatRole.Tool, [.. results]));
        if (contexts.Current is { } context)
        {
            context.ToolCallCount += calls.Count;
        }
    }

    private async Task<AIContent> RunAsync(McpTool tool, FunctionCallContent call, CancellationToken cancellationToken)
    {
        try
        {
            if (call.Exception is not null)
            {
                return new FunctionResultContent(call.CallId, $"Error: the arguments are not valid JSON ({call.Exception.Message}).");
            }
            var arguments = JsonSerializer.SerializeToElement(
                call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
            if (JsonSchemaValidator.Validate(tool.InputSchema, arguments) is { } error)
            {
                return new FunctionResultContent(call.CallId, $"Error: invalid arguments for {tool.ExposedName}: {error}");
            }
            var result = await invoker.InvokeAsync(tool, arguments, cancellationToken);
            var text = McpToolInvoker.ResultText(result);
            return new FunctionResultContent(call.CallId, result.IsError == true ? $"Error: {text}" : text);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("MCP tool {Tool} on {Server} failed: {Error}", tool.Name, tool.ServerLabel, ex.Message);
            return new FunctionResultContent(call.CallId, $"Error: the tool {tool.ExposedName} could not be called: {ex.Message}");
        }
    }

    private static List<FunctionCallContent> McpCalls(IEnumerable<ChatMessage> messages, Dictionary<string, McpTool> tools) =>
        messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Where(c => tools.ContainsKey(c.Name)).ToList();

    private static ChatOptions WithTools(ChatOptions? options, Dictionary<string, McpTool> tools)
    {
        var result = options?.Clone() ?? new ChatOptions();
        var declared = result.Tools?.ToList() ?? [];
        var taken = declared.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in tools.Values.Where(t => !taken.Contains(t.ExposedName)))
        {
            declared.Add(AIFunctionFactory.CreateDeclaration(tool.ExposedName, tool.Description ?? tool.Title, tool.InputSchema));
        }
        result.Tools = declared;
        return result;
    }

    /// <summary>
    /// A forced tool choice is satisfied once tools ran (repeating it would loop forever); at the round
    /// limit the model must answer with what it has.
    /// </summary>
    private ChatOptions NextRoundOptions(ChatOptions options, int roundsDone)
    {
        if (roundsDone >= maxRounds)
        {
            var last = options.Clone();
            last.ToolMode = ChatToolMode.None;
            return last;
        }
        if (options.ToolMode is RequiredChatToolMode)
        {
            var relaxed = options.Clone();
            relaxed.ToolMode = ChatToolMode.Auto;
            return relaxed;
        }
        return options;
    }

    private static UsageDetails? Sum(UsageDetails? total, UsageDetails? next)
    {
        if (next is null)
        {
            return total;
        }
        if (total is null)
        {
            return next;
        }
        var sum = new UsageDetails();
        sum.Add(total);
        sum.Add(next);
        return sum;
    }
}
