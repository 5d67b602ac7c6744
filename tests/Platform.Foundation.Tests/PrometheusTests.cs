using System.Net;

namespace Platform.Foundation.Tests;

public sealed class PrometheusTests
{
    [Fact]
    public async Task WhenEnabledTheScrapeEndpointServesTheServicesAndTheProjectsMetrics()
    {
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(settings: new Dictionary<string, string>
        {
            ["Telemetry:Prometheus:Enabled"] = "true",
        });
        using var client = worker.CreateClient();
        await ServiceHosts.WaitForHealthAsync(client, "Healthy");
        await client.GetAsync("/no-such-page");

        using var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", body);
        Assert.Contains("platform_usage_stream_length", body);
    }

    [Fact]
    public async Task TheScrapeEndpointCanBeMovedToAnotherPath()
    {
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(settings: new Dictionary<string, string>
        {
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:Prometheus:Path"] = "/internal/metrics",
        });
        using var client = worker.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/internal/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task ByDefaultThereIsNoScrapeEndpoint()
    {
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>();
        using var client = worker.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }
}
