using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Platform.Api.Tools;

namespace Platform.Api.Pipeline;

/// <summary>
/// The chat pipeline of one model, outermost first (DESIGN §3): GenAI telemetry around everything
/// the caller waits for, the MCP tool loop (with an <c>execute_tool</c> span per tool call), usage capture of every provider call (one record per
/// round, cache hits included), the response cache, the provider stage (the model's routing client,
/// which picks the deployment).
/// </summary>
public static class ChatPipeline
{
    /// <summary>
    /// Microsoft.Extensions.AI's own default source and meter name, which ServiceDefaults exports; spans
    /// and <c>gen_ai.client.*</c> metrics follow the GenAI semantic conventions. Message content is
    /// recorded only when <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>, because prompts
    /// and answers may hold personal data.
    /// </summary>
    public const string TelemetrySourceName = "Experimental.Microsoft.Extensions.AI";

    public static IChatClient Create(IServiceProvider services, IChatClient provider)
    {
        var mcp = services.GetRequiredService<IOptions<McpOptions>>().Value;
        return new ChatClientBuilder(provider)
            .UseOpenTelemetry(sourceName: TelemetrySourceName)
            .UseFunctionInvocation(configure: tools =>
            {
                // The functions are the request's MCP tools (McpToolFunction): independent remote calls.
                tools.AllowConcurrentInvocation = true;
                tools.MaximumIterationsPerRequest = mcp.MaxToolRounds;
                // A call the gateway has no function for is the caller's (a function it declared, or one
                // the model made up): it goes back to the caller as it came, never answered here.
                tools.TerminateOnUnknownCalls = true;
            })
            .UseToolSpanSource()
            .UseUsageCapture()
            .UseResponseCache()
            .Build(services);
    }
}
