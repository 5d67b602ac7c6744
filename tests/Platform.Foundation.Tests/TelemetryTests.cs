using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Platform.Foundation.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task RequestSpansAndMetricsReachTheOtlpEndpoint()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(settings: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "worker-under-test",
        });
        using var client = worker.CreateClient();
        await ServiceHosts.WaitForHealthAsync(client, "Healthy");
        await client.GetAsync("/no-such-page");

        // The server span ends after the client already has its response, so a flush right away can
        // miss it: flush until it has been exported (bounded), then check what arrived.
        for (var attempt = 0; attempt < 50 && !collector.Received("/v1/traces").Contains("/no-such-page", StringComparison.Ordinal); attempt++)
        {
            worker.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            await Task.Delay(100);
        }
        worker.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);

        // OTLP/protobuf carries names as plain UTF-8 strings, so they can be found in the bytes.
        var traces = collector.Received("/v1/traces");
        var metrics = collector.Received("/v1/metrics");
        Assert.Contains("worker-under-test", traces);
        Assert.Contains("Microsoft.AspNetCore", traces);
        Assert.Contains("/no-such-page", traces);
        Assert.Contains("http.response.status_code", traces);
        Assert.DoesNotContain("/health", traces);
        Assert.Contains("http.server.request.duration", metrics);
        Assert.Contains("worker-under-test", metrics);
    }

    /// <summary>An OTLP/HTTP receiver on loopback that keeps every payload by path.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _payloads = new();

        private OtlpCollector(WebApplication app) => _app = app;

        public string Endpoint => _app.Urls.First();

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector._payloads.Enqueue((context.Request.Path, body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public string Received(string path) =>
            string.Join('\n', _payloads.Where(p => p.Path == path).Select(p => Encoding.UTF8.GetString(p.Body)));

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
