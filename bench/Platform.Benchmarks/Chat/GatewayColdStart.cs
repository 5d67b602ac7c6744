using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Platform.Benchmarks.Chat;

/// <summary>
/// Cold start of a gateway process: <c>gateway-serve coldstart RUNS CHAT_URL [--vs 'ENV=V ...'] -- PROGRAM [ARGS...]</c>
/// starts PROGRAM (environment inherited) RUNS times and measures, each time, from process start to the
/// first answered (200) chat completion (a poll every 2 ms), then the process's resident memory 2 s
/// later with no traffic (VmRSS) and its CPU time until then. With <c>--vs</c> every run is paired
/// with a run of the same program with those extra environment variables (A B A B ...), so a
/// comparison holds when the machine's speed drifts; <c>PROGRAM=/path</c> among them runs another
/// build (its folder the working directory). Prints one line per run and the medians.
/// </summary>
internal static class GatewayColdStart
{
    public static async Task<int> RunAsync(string[] args)
    {
        var split = Array.IndexOf(args, "--");
        if (split < 2)
        {
            Console.Error.WriteLine("usage: gateway-serve coldstart RUNS CHAT_URL [--vs 'ENV=V ...'] -- PROGRAM [ARGS...]");
            return 2;
        }
        var runs = int.Parse(args[0], CultureInfo.InvariantCulture);
        var url = new Uri(args[1]);
        var variants = new List<(string Label, Dictionary<string, string> Env)> { ("A", []) };
        if (args[2..split] is ["--vs", var vs])
        {
            variants.Add(("B " + vs, vs.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1])));
        }
        var command = args[(split + 1)..];
        var body = Encoding.UTF8.GetBytes("""{"model":"stub-model","messages":[{"role":"user","content":"Say something about foxes."}],"max_tokens":16}""");
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(10) };

        var results = variants.Select(_ => new List<(double FirstMs, double RssMb, double CpuMs)>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            for (var v = 0; v < variants.Count; v++)
            {
                var result = await OneAsync(command, variants[v].Env, url, body, http);
                results[v].Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"coldstart {variants[v].Label}: first answer {result.FirstMs:F0} ms, idle RSS {result.RssMb:F0} MB, CPU {result.CpuMs:F0} ms"));
            }
        }
        for (var v = 0; v < variants.Count; v++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"coldstart {variants[v].Label} median of {runs}: first answer {Median(results[v].Select(r => r.FirstMs)):F0} ms, idle RSS {Median(results[v].Select(r => r.RssMb)):F0} MB, CPU to first answer + 2 s {Median(results[v].Select(r => r.CpuMs)):F0} ms"));
        }
        if (variants.Count == 2)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"coldstart B/A median of pair ratios: first answer {Median(results[1].Select((r, i) => r.FirstMs / results[0][i].FirstMs)):F2}, idle RSS {Median(results[1].Select((r, i) => r.RssMb / results[0][i].RssMb)):F2}"));
        }
        return 0;
    }

    private static async Task<(double FirstMs, double RssMb, double CpuMs)> OneAsync(string[] command, Dictionary<string, string> env, Uri url, byte[] body, HttpClient http)
    {
        var program = env.GetValueOrDefault("PROGRAM", command[0]);
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (env.ContainsKey("PROGRAM"))
        {
            info.WorkingDirectory = Path.GetDirectoryName(program)!;
        }
        foreach (var a in command[1..])
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, val) in env.Where(e => e.Key != "PROGRAM"))
        {
            info.Environment[k] = val;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{command[0]} exited with {process.ExitCode} before answering.");
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"{command[0]} did not answer a chat request within 60 s.");
                }
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                    // Outside Development the Api wants a key; the harness puts one in the database.
                    if (Environment.GetEnvironmentVariable("GL_AUTH") is { Length: > 0 } key)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    }
                    request.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true };
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(2);
            }
            var first = clock.Elapsed.TotalMilliseconds;
            await Task.Delay(2000);
            var rss = ReadStatusKb(process.Id, "VmRSS:") / 1024.0;
            process.Refresh();
            var cpu = process.TotalProcessorTime.TotalMilliseconds;
            return (first, rss, cpu);
        }
        finally
        {
            if (!process.HasExited)
            {
                // SIGTERM first (a graceful stop drains usage), then a hard kill.
                Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static double ReadStatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
