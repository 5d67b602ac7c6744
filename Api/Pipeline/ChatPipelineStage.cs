namespace Platform.Api.Pipeline;

/// <summary>Where a middleware sits in the chat pipeline; the lowest stage is the outermost.</summary>
public enum ChatPipelineStage
{
    Telemetry = 100,
    ToolInvocation = 200,
    UsageCapture = 300,
    ResponseCache = 400,
}
