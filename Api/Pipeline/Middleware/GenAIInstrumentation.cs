using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Api.Pipeline.Middleware;

/// <summary>
/// The activity source and meter of the chat pipeline, named under "Platform.*" so ServiceDefaults
/// exports them; instrument names and units follow the OpenTelemetry GenAI semantic conventions.
/// </summary>
public static class GenAIInstrumentation
{
    public const string SourceName = "Platform.GenAI";
    public const string CaptureContentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    public static readonly ActivitySource ActivitySource = new(SourceName);
    public static readonly Meter Meter = new(SourceName);

    // Bucket boundaries recommended by the GenAI conventions.
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration", "s", "Duration of GenAI client operations.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<long> TokenUsage = Meter.CreateHistogram<long>(
        "gen_ai.client.token.usage", "{token}", "Input and output tokens used.", tags: null,
        new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

    public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram<double>(
        "gen_ai.client.operation.time_to_first_chunk", "s", "Time from the request to the first streamed chunk.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
}
