using Platform.Api.Pipeline;

namespace Microsoft.Extensions.AI;

public static class ToolSpanSourceChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ToolSpanSourceChatClient"/>. Place it right below <c>UseFunctionInvocation</c> when
    /// <c>UseOpenTelemetry</c> sits above the loop, so tool calls get <c>execute_tool</c> spans.
    /// </summary>
    public static ChatClientBuilder UseToolSpanSource(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static inner => new ToolSpanSourceChatClient(inner));
    }
}
