using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Platform.Testing;

public sealed record RedisServerOptions
{
    public string? Password { get; init; }
    /// <summary>Serve TLS only, with a self-signed certificate made by openssl.</summary>
    public bool Tls { get; init; }
}

/// <summary>
/// A private redis-server on 127.0.0.1 that a test may stop, kill and restart on the same port.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly RedisServerOptions _options;
    private readonly string _directory;
    private Process? _process;

    private RedisServer(RedisServerOptions options, string directory, int port)
    {
        _options = options;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Directory => _directory;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Connection string in StackExchange.Redis form, as Aspire passes it.</summary>
    public string ConnectionString
    {
        get
        {
            var builder = new StringBuilder($"127.0.0.1:{Port},abortConnect=false");
            if (_options.Password is { } password)
            {
                builder.Append(",password=").Append(password);
            }
            if (_options.Tls)
            {
                builder.Append(",ssl=true");
            }
            return builder.ToString();
        }
    }

    public string? CertificateAuthorityPath => _options.Tls ? Path.Combine(_directory, "ca.crt") : null;

    public static async Task<RedisServer> LaunchAsync(RedisServerOptions? options = null)
    {
        var server = new RedisServer(options ?? new RedisServerOptions(), ServerProcess.CreateTempDirectory("platform-redis"), ServerProcess.GetFreePort());
        if (server._options.Tls)
        {
            await server.CreateCertificatesAsync();
        }
        var pidFile = Path.Combine(server._directory, "redis-server.pid");
        ServerProcess.CleanUpWhenThisProcessEnds($"[ -f {pidFile} ] && kill -9 $(cat {pidFile}); rm -rf {server._directory}");
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var info = new ProcessStartInfo(ServerProcess.FindExecutable("redis-server", "/usr/bin"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in BuildArguments())
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await ServerProcess.WaitForPortAsync(Port, TimeSpan.FromSeconds(20));
        if (_process.HasExited)
        {
            // Another process answered on the port: fail loudly rather than test against a stranger.
            throw new InvalidOperationException($"redis-server exited at start (code {_process.ExitCode}); port {Port} is taken.");
        }
    }

    /// <summary>Kills the server at once (SIGKILL): connections drop mid-reply, nothing is saved.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            // The process is gone at once; waiting for its redirected output to close must not hang a test.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        // Wait until the port is free again so that a restart can bind it.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                return;
            }
        }
    }

    public async Task RestartAsync(TimeSpan? downtime = null)
    {
        await KillAsync();
        if (downtime is { } delay)
        {
            await Task.Delay(delay);
        }
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private IEnumerable<string> BuildArguments()
    {
        yield return "--bind";
        yield return "127.0.0.1";
        yield return "--save";
        yield return "";
        yield return "--appendonly";
        yield return "no";
        yield return "--dir";
        yield return _directory;
        // Written even in the foreground; the watchdog kills the server by it if this process dies first.
        yield return "--pidfile";
        yield return Path.Combine(_directory, "redis-server.pid");
        if (_options.Password is { } password)
        {
            yield return "--requirepass";
            yield return password;
        }
        if (_options.Tls)
        {
            yield return "--port";
            yield return "0";
            yield return "--tls-port";
            yield return Port.ToString();
            yield return "--tls-cert-file";
            yield return Path.Combine(_directory, "server.crt");
            yield return "--tls-key-file";
            yield return Path.Combine(_directory, "server.key");
            yield return "--tls-ca-cert-file";
            yield return Path.Combine(_directory, "ca.crt");
            yield return "--tls-auth-clients";
            yield return "no";
        }
        else
        {
            yield return "--port";
            yield return Port.ToString();
        }
    }

    private async Task CreateCertificatesAsync()
    {
        string P(string name) => Path.Combine(_directory, name);
        await Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=platform-test-ca",
            "-keyout", P("ca.key"), "-out", P("ca.crt"));
        await Openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", P("server.key"), "-out", P("server.csr"));
        await File.WriteAllTextAsync(P("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await Openssl("x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", P("server.ext"), "-out", P("server.crt"));

        static async Task Openssl(params string[] arguments)
        {
            var (exitCode, output) = await ServerProcess.RunAsync("openssl", arguments);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"openssl {arguments[0]} failed: {output}");
            }
        }
    }
}
