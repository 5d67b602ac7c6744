using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Platform.Redis.Tests;

/// <summary>
/// The listener sees every Platform.Redis measurement in the process, so these tests run alone: a
/// reconnect test's failing SETs would otherwise count as errors here.
/// </summary>
[Collection(MeasuredAlone.Name)]
public class TelemetryTests : SharedConnection
{
    [Fact]
    public async Task CommandsAndErrorsAreCountedPerCommand()
    {
        var measurements = new ConcurrentQueue<(string Instrument, string? Command)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Platform.Redis")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => measurements.Enqueue((instrument.Name, Command(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => measurements.Enqueue((instrument.Name, Command(tags))));
        listener.Start();

        await Redis.SetAsync(Key("m"), Bytes("v"));
        await Assert.ThrowsAsync<RedisServerException>(() => Redis.XLenAsync(Key("m")));

        Assert.Contains(("platform.redis.commands", "SET"), measurements);
        Assert.Contains(("platform.redis.command.duration", "SET"), measurements);
        Assert.Contains(("platform.redis.errors", "XLEN"), measurements);
        Assert.DoesNotContain(("platform.redis.errors", "SET"), measurements);
    }

    private static string? Command(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "db.operation.name")
            {
                return tag.Value as string;
            }
        }
        return null;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "process-wide meter listener";
}
