using System.Diagnostics;
using System.Globalization;

namespace Platform.Benchmarks.Usage;

/// <summary>
/// CPU time used so far by this process (producer and Worker), its redis-server and its PostgreSQL
/// cluster (postmaster, its live backends and the children it reaped), read from /proc. On a shared
/// machine the records/s move with the neighbours' load; CPU per record much less so.
/// </summary>
internal static class CpuMeter
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    public static CpuSample Read(int redisPort, int postgresPort)
    {
        var processes = Directory.Exists("/proc") ? ReadProcesses() : [];
        // redis-server rewrites its command line to "redis-server host:port".
        var redis = processes.Where(p => p.Executable.Contains("redis-server", StringComparison.Ordinal)
                && string.Join(' ', [p.Executable, .. p.Arguments]).Contains(":" + redisPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .Sum(p => p.Own);
        var postmaster = processes.FirstOrDefault(p => p.Executable.EndsWith("/postgres", StringComparison.Ordinal) && HasPort(p.Arguments, postgresPort));
        var postgres = postmaster is null ? 0 : postmaster.Own + postmaster.Reaped + processes.Where(p => p.ParentId == postmaster.Id).Sum(p => p.Own);
        return new CpuSample(Process.GetCurrentProcess().TotalProcessorTime, Seconds(redis), Seconds(postgres));
    }

    private static TimeSpan Seconds(double ticks) => TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);

    private static bool HasPort(string[] arguments, int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        return arguments.Zip(arguments.Skip(1)).Any(pair => pair.First == "-p" && pair.Second == text) || arguments.Any(a => a.Contains("-p " + text, StringComparison.Ordinal));
    }

    private static List<ProcessCpu> ReadProcesses()
    {
        var result = new List<ProcessCpu>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (commandLine.Length == 0)
                {
                    continue;
                }
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // After "pid (name) ": state ppid ... utime(12th) stime cutime cstime.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                double Field(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
                result.Add(new ProcessCpu(id, (int)Field(1), commandLine[0], commandLine[1..], Field(11) + Field(12), Field(13) + Field(14)));
            }
            catch (IOException)
            {
                // exited while being read
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return result;
    }

    private sealed record ProcessCpu(int Id, int ParentId, string Executable, string[] Arguments, double Own, double Reaped);
}

internal readonly record struct CpuSample(TimeSpan Process, TimeSpan Redis, TimeSpan Postgres)
{
    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.Process - before.Process, after.Redis - before.Redis, after.Postgres - before.Postgres);
}
