using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>Small helpers for starting real server processes on loopback.</summary>
public static class ServerProcess
{
    // Servers that tests kill and restart must get their port back. Ports from the kernel's
    // ephemeral range (32768-60999) can be taken meanwhile by any outgoing connection or by another
    // test process asking for port 0, so server ports come from 20000-31999 instead: each test
    // process walks its own PID-seeded sequence and takes the first port it can bind.
    private const int FirstServerPort = 20000;
    private const int ServerPortCount = 12000;
    private static int _nextPort = (Environment.ProcessId * 97) % ServerPortCount;

    public static int GetFreePort()
    {
        for (var attempt = 0; attempt < ServerPortCount; attempt++)
        {
            var port = FirstServerPort + (Interlocked.Increment(ref _nextPort) % ServerPortCount);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No free port in 20000-31999 on 127.0.0.1.");
    }

    public static string CreateTempDirectory(string prefix)
    {
        // Under /tmp, not the user's home: PostgreSQL runs as another user and must read its parents.
        var path = Path.Combine("/tmp", $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        }
        return path;
    }

    /// <summary>
    /// Runs <paramref name="cleanup"/> (a shell command) once this test process has ended, however it
    /// ended: a crash, or the hang timeout's SIGKILL, skips every Dispose. A detached watchdog polls for
    /// this process once a second, so a server a test started (PostgreSQL daemonizes; redis-server is
    /// left to init) and its temporary directory never outlive the test run.
    /// </summary>
    public static void CleanUpWhenThisProcessEnds(string cleanup)
    {
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add("-c");
        // Let go of the test host's standard streams at once, so nothing waits on the watchdog's copies.
        info.ArgumentList.Add($"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; {cleanup}");
        using var _ = Process.Start(info);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static string FindExecutable(string name, params string[] extraDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in extraDirectories.Concat(path.Split(':', StringSplitOptions.RemoveEmptyEntries)))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"'{name}' was not found. Run ./eng/services.sh install first.");
    }
}
