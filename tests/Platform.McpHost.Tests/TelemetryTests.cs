using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

public sealed class TelemetryTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    [Fact]
    public async Task ToolCallsAreCountedByToolAndOutcome()
    {
        using var metrics = new MetricCollector("mcphost.tool.calls");
        await using var client = await server.ConnectAsync();

        await client.CallToolAsync("hash_text", ToolCallTests.Arguments("""{"text":"a"}"""));
        await client.CallToolAsync("hash_text", ToolCallTests.Arguments("""{"text":"a","algorithm":"nope"}"""));

        Assert.Contains(("hash_text", "ok"), metrics.Tags);
        Assert.Contains(("hash_text", "error"), metrics.Tags);
    }

    [Fact]
    public async Task ActiveSessionGaugeFollowsSessionsOpenedAndDeleted()
    {
        var meterFactory = server.Services.GetRequiredService<IMeterFactory>();
        using var http = server.CreateHttpClient();
        var client = new RawMcpClient(http);

        var before = ObserveActiveSessions(meterFactory);
        await client.InitializeAsync();
        var during = ObserveActiveSessions(meterFactory);
        (await http.SendAsync(RawMcpClient.SessionRequest(HttpMethod.Delete, client.SessionId))).Dispose();
        var after = ObserveActiveSessions(meterFactory);

        Assert.Equal(before + 1, during);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task EachToolCallIsASpanNamedAfterTheTool()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Platform.McpHost",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var client = await server.ConnectAsync();

        await client.CallToolAsync("encode_text", ToolCallTests.Arguments("""{"text":"span-check","encoding":"hex"}"""));

        Activity span;
        lock (spans)
        {
            span = Assert.Single(spans, s => s.DisplayName == "execute_tool encode_text");
        }
        Assert.Equal("encode_text", span.GetTagItem("gen_ai.tool.name"));
        Assert.Equal(client.SessionId, span.GetTagItem("mcp.session.id"));
    }

    // Only this host's meter: other test classes run their own hosts in the same process.
    private static long ObserveActiveSessions(IMeterFactory meterFactory)
    {
        long observed = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == "mcphost.sessions.active")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => observed = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
