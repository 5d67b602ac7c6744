using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Schema;

namespace Platform.Api.Tools.Chat;

/// <summary>
/// A catalog tool as an <see cref="AIFunction"/>, run by the pipeline's <see cref="FunctionInvokingChatClient"/>
/// through the pooled MCP sessions (<see cref="McpToolInvoker"/>). Arguments are checked against the tool's
/// input schema first. Every failure becomes the result text the model reads, never an exception: one
/// broken tool must not fail the caller's request, and the model can correct its arguments or answer
/// without the tool.
/// </summary>
public sealed class McpToolFunction(McpTool tool, McpToolInvoker invoker, ChatRequestContext? context, ILogger logger) : AIFunction
{
    public McpTool Tool { get; } = tool;

    public override string Name => Tool.ExposedName;

    public override string Description => Tool.Description ?? Tool.Title ?? "";

    public override JsonElement JsonSchema => Tool.InputSchema;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        // Arguments that are not JSON reach the function as an empty dictionary; the call itself keeps the parse error.
        if (FunctionInvokingChatClient.CurrentContext?.CallContent.Exception is { } invalid)
        {
            return $"Error: the arguments are not valid JSON ({invalid.Message}).";
        }
        var json = JsonSerializer.SerializeToElement<IDictionary<string, object?>>(arguments, AIJsonUtilities.DefaultOptions);
        if (JsonSchemaValidator.Validate(Tool.InputSchema, json) is { } error)
        {
            return $"Error: invalid arguments for {Tool.ExposedName}: {error}";
        }
        try
        {
            context?.RecordToolCall();
            var result = await invoker.InvokeAsync(Tool, json, cancellationToken);
            var text = McpToolInvoker.ResultText(result);
            return result.IsError == true ? $"Error: {text}" : text;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("MCP tool {Tool} on {Server} failed: {Error}", Tool.Name, Tool.ServerLabel, e.Message);
            return $"Error: the tool {Tool.ExposedName} could not be called: {e.Message}";
        }
    }
}
