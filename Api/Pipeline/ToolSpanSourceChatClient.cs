using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Platform.Api.Pipeline;

/// <summary>
/// Lends the pipeline's <see cref="ActivitySource"/> to the <see cref="FunctionInvokingChatClient"/> right
/// above it. The tool loop takes its source from its inner client when it is built and writes an
/// <c>execute_tool</c> span per MCP tool call only when it gets one; the OpenTelemetry stage that owns the
/// source sits above the loop (so one <c>chat</c> span covers everything the caller waits for), out of
/// the loop's reach. Listeners subscribe by source name, so a second instance of the same name is enough.
/// </summary>
public sealed class ToolSpanSourceChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    private static readonly ActivitySource Source = new(ChatPipeline.TelemetrySourceName);

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ActivitySource) ? Source : base.GetService(serviceType, serviceKey);
}
