using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Platform.Usage.Tests.Infrastructure;

/// <summary>
/// A Platform service run as a real process (<c>dotnet Platform.X.dll</c>) from this build's
/// artifacts, so tests can kill it with SIGKILL or stop it with SIGTERM.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(string projectName, IReadOnlyDictionary<string, string> environment)
    {
        var dll = FindAssembly(projectName);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        // The fault tests call the Api anonymously; outside Development keys are required unless turned off.
        info.Environment["Auth__RequireApiKey"] = "false";
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new ServiceProcess(Process.Start(info)!);
        process._process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM (a graceful stop, as a container runtime does) and waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The process never wrote '{text}'. Output:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>Next to this test assembly's folder in the same artifacts tree: bin/{project}/{configuration}/{project}.dll.</summary>
    private static string FindAssembly(string projectName)
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var binDirectory = testDirectory.Parent!.Parent!.FullName;
        var path = Path.Combine(binDirectory, projectName, testDirectory.Name, projectName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectName} first; expected it at {path}.", path);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
