using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire service defaults: OpenTelemetry, health endpoints, service discovery and the standard
/// resilience handler for HTTP clients. Every service calls <see cref="AddServiceDefaults{TBuilder}"/>
/// and <see cref="MapDefaultEndpoints"/>.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    /// <summary>The project's own sources and meters (Platform.Caching, Platform.Usage, Platform.Mcp, ...).</summary>
    private const string ProjectPrefix = "Platform.*";

    // Libraries that trace themselves without an instrumentation package.
    private static readonly string[] ActivitySources =
    [
        ProjectPrefix,
        "Npgsql",
        "Experimental.Microsoft.Extensions.AI",
        "Microsoft.Extensions.AI",
    ];

    // Meters the instrumentation packages do not all add on their own.
    private static readonly string[] Meters =
    [
        ProjectPrefix,
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.NameResolution",
        "Npgsql",
        "Microsoft.EntityFrameworkCore",
        "Experimental.Microsoft.Extensions.AI",
        "Microsoft.Extensions.AI",
    ];

    /// <summary>
    /// Points kept per metric stream. The SDK allocates each stream's points up front: at its default of
    /// 2,000 that is ~144 KB per stream on the large-object heap, ~13 MB for the ~90 streams an Api has.
    /// The instruments here carry a few low-cardinality tags (method, route, status, model, cache level,
    /// server), far below this; past it the SDK folds new combinations into one overflow point.
    /// </summary>
    public const int MetricCardinalityLimit = 256;

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();

        // Clients that must not be retried or cut at 10 s (the model providers, MCP streams) take the
        // standard handler off again where they are registered.
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var prometheus = builder.Configuration.GetSection(PrometheusOptions.SectionName).Get<PrometheusOptions>() ?? new PrometheusOptions();
        builder.Services.AddOptions<PrometheusOptions>().BindConfiguration(PrometheusOptions.SectionName);

        var telemetry = builder.Services.AddOpenTelemetry();
        // Aspire names every service with OTEL_SERVICE_NAME; run on its own, a service is named after its
        // application rather than the SDK's "unknown_service".
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }

        telemetry
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(Meters)
                    .AddView(static _ => new MetricStreamConfiguration { CardinalityLimit = MetricCardinalityLimit });
                if (prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(ActivitySources)
                    // Probes and scrapes arrive every few seconds and would drown the traces that matter.
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                        && !(prometheus.Enabled && context.Request.Path.StartsWithSegments(prometheus.Path)))
                    .AddHttpClientInstrumentation();
            });

        // The SDK reads the endpoint, protocol, headers and export interval from the OTEL_* settings itself.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Readiness: every registered check must pass. Liveness: only that the process answers.
        // Probes come from the orchestrator, which holds no API key.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        // A scraper holds no API key either; the endpoint is off unless the deployment asks for it.
        var prometheus = app.Services.GetRequiredService<IOptions<PrometheusOptions>>().Value;
        if (prometheus.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(prometheus.Path).AllowAnonymous();
        }
        return app;
    }
}
