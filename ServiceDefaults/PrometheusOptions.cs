namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The opt-in Prometheus scraping endpoint, bound from <c>Telemetry:Prometheus</c>. Off by default:
/// under Aspire metrics go out over OTLP; this is for a deployment scraped by Prometheus instead.
/// </summary>
public sealed class PrometheusOptions
{
    public const string SectionName = "Telemetry:Prometheus";

    public bool Enabled { get; set; }

    /// <summary>Where the scrape endpoint is mapped.</summary>
    public string Path { get; set; } = "/metrics";
}
