using System.Diagnostics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Platform.McpHost.Telemetry;

namespace Platform.McpHost.Tools;

/// <summary>Wraps a tool with a span (GenAI execute_tool conventions) and call metrics.</summary>
internal sealed class InstrumentedTool(McpServerTool inner, McpHostTelemetry telemetry) : McpServerTool
{
    public override Tool ProtocolTool => inner.ProtocolTool;

    public override IReadOnlyList<object> Metadata => inner.Metadata;

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var name = ProtocolTool.Name;
        using var activity = McpHostTelemetry.ActivitySource.StartActivity($"execute_tool {name}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", name);
        activity?.SetTag("mcp.session.id", request.Server.SessionId);

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await inner.InvokeAsync(request, cancellationToken);
            var outcome = result.IsError == true ? "error" : "ok";
            if (result.IsError == true)
            {
                activity?.SetStatus(ActivityStatusCode.Error, "tool returned isError");
                activity?.SetTag("error.type", "tool_error");
            }
            telemetry.ToolCalled(name, outcome, Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", ex.GetType().FullName);
            telemetry.ToolCalled(name, "exception", Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
