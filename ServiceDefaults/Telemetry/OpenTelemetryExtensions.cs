using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// What OpenTelemetry.Extensions.Hosting would do (it is not restorable here): tracer and meter
/// providers owned by the host, the OpenTelemetry logger, and the OTLP exporter when the
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable Aspire sets is present.
/// </summary>
public static class OpenTelemetryExtensions
{
    public static IHostApplicationBuilder AddPlatformOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = OtlpSettings.From(configuration);
        var exportOtlp = otlp is not null;
        var serviceName = builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(CreateResource(configuration, serviceName));
            if (exportOtlp)
            {
                logging.AddOtlpExporter(o => otlp!.Apply(o, "logs"));
            }
        });

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(CreateResource(configuration, serviceName))
                .AddSource(PlatformTelemetry.ActivitySources);
            if (exportOtlp)
            {
                tracing.AddOtlpExporter(o => otlp!.Apply(o, "traces"));
            }
            return tracing.Build();
        });

        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(CreateResource(configuration, serviceName))
                .AddMeter(PlatformTelemetry.Meters);
            if (exportOtlp)
            {
                metrics.AddOtlpExporter((o, reader) =>
                {
                    otlp!.Apply(o, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = otlp.MetricExportIntervalMilliseconds;
                });
            }
            return metrics.Build();
        });

        builder.Services.AddHostedService<TelemetryProvidersService>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, HttpServerTracingStartupFilter>();
        return builder;
    }

    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (set by Aspire) win over the application name.
    // They are read from configuration, so appsettings and test hosts can set them as well as the environment.
    private static ResourceBuilder CreateResource(IConfiguration configuration, string serviceName)
    {
        var resource = ResourceBuilder.CreateDefault()
            .AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : serviceName);
        var attributes = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Length > 0)
            .Select(pair => new KeyValuePair<string, object>(pair[0], Uri.UnescapeDataString(pair[1])));
        return resource.AddAttributes(attributes);
    }

    /// <summary>Creates the providers when the host starts, and flushes them when it stops.</summary>
    private sealed class TelemetryProvidersService(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracerProvider.ForceFlush(2000);
            meterProvider.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }
}
