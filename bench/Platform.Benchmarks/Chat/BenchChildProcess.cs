using System.Diagnostics;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// This benchmark executable re-launched in a hidden serving mode (<c>gateway-overhead --serve-…</c>),
/// so that a server gets its own process and thread pool as in production. The child prints
/// <c>listening &lt;url&gt;</c> once ready and exits when its standard input closes, which also happens
/// when this process dies, so nothing outlives the benchmark.
/// </summary>
internal sealed class BenchChildProcess(Process process, Uri baseUrl) : IAsyncDisposable
{
    public const string ReadyPrefix = "listening ";

    public Uri BaseUrl { get; } = baseUrl;

    public static async Task<BenchChildProcess> StartAsync(IReadOnlyList<string> modeArgs, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.FileName = self;
            info.ArgumentList.Add(typeof(BenchChildProcess).Assembly.Location);
        }
        else
        {
            info.FileName = self;
        }
        foreach (var arg in modeArgs)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the benchmark's child process.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    // Keep draining so that a chatty child never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new BenchChildProcess(process, new Uri(line[ReadyPrefix.Length..]));
                }
            }
            throw new InvalidOperationException($"The child process ({string.Join(' ', modeArgs)}) exited before it was ready.");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child side: announce the address, then serve until the parent closes our stdin.</summary>
    public static async Task ServeUntilParentGoneAsync(Uri baseUrl)
    {
        Console.Out.WriteLine(ReadyPrefix + baseUrl);
        Console.Out.Flush();
        await Console.OpenStandardInput().CopyToAsync(Stream.Null);
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}
