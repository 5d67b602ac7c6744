using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Redis.Telemetry;

/// <summary>
/// Traces and metrics named "Platform.Redis". Spans carry the command name only, never keys or values,
/// following the OpenTelemetry database conventions (db.system.name, db.operation.name, server.*).
/// </summary>
internal static class RedisTelemetry
{
    public const string Name = "Platform.Redis";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Commands = Meter.CreateCounter<long>("platform.redis.commands", "{command}", "Commands completed, successfully or not.");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("platform.redis.errors", "{command}", "Commands that failed: server error, timeout or lost connection.");
    private static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("platform.redis.reconnects", "{connection}", "Connections re-established after a loss.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("platform.redis.command.duration", "s", "Time from sending a command to receiving its reply.");

    /// <summary>Starts a client span without making it current: the caller's context must not change.</summary>
    public static Activity? StartCommand(string operation, (string Host, int Port) server)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var previous = Activity.Current;
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }
        Activity.Current = previous;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.operation.name", operation);
            activity.SetTag("server.address", server.Host);
            activity.SetTag("server.port", server.Port);
        }
        return activity;
    }

    public static void StopCommand(Activity? activity, Exception? error)
    {
        if (activity is null)
        {
            return;
        }
        if (error is not null && error is not OperationCanceledException)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", error is RedisServerException server ? server.ErrorPrefix : error.GetType().FullName);
        }
        activity.Stop();
    }

    public static void RecordCommand(string command, long startTimestamp, Exception? error, int count = 1)
    {
        var tag = new KeyValuePair<string, object?>("db.operation.name", command);
        Commands.Add(count, tag);
        if (error is not null && error is not OperationCanceledException)
        {
            Errors.Add(count, tag);
        }
        if (Duration.Enabled && startTimestamp != 0)
        {
            Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tag);
        }
    }

    public static void RecordReconnect() => Reconnects.Add(1);
}
