using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>
/// Opens MCP sessions to configured servers with the SDK's client: Streamable HTTP over one shared
/// HttpClient (a logical endpoint such as <c>http://mcphost/mcp</c> is resolved by service discovery on
/// every request, so a moved server is found again), or a stdio server's process. No resilience handler: an MCP POST is not safe to replay blindly,
/// the pool decides what to retry.
/// </summary>
public sealed class McpClientFactory(
    IOptionsMonitor<McpOptions> options,
    IHttpClientFactory httpClientFactory,
    IConfiguration configuration,
    ILoggerFactory loggerFactory,
    TimeProvider time) : IDisposable
{
    public const string HttpClientName = "Platform.Mcp";

    private readonly HttpClient _http = httpClientFactory.CreateClient(HttpClientName);

    private readonly ConcurrentDictionary<string, StdioRestartBackoff> _restarts = new(StringComparer.Ordinal);
    // Stdio sessions alive now; true once the Api itself closes one, so that exit is not taken for a crash.
    private readonly ConcurrentDictionary<McpClient, bool> _stdioSessions = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<McpClientFactory>();

    public IReadOnlyCollection<string> ServerLabels =>
        options.CurrentValue.Servers.Where(s => s.Value.Enabled && s.Value.IsConfigured).Select(s => s.Key).ToArray();

    public McpServerOptions GetServer(string label) =>
        options.CurrentValue.Servers.TryGetValue(label, out var server) && server.Enabled
            ? server
            : throw new KeyNotFoundException($"No MCP server '{label}' is configured.");

    /// <summary>The endpoint as configured, or the command line of a stdio server, for display.</summary>
    public string DescribeEndpoint(string label)
    {
        var server = GetServer(label);
        if (server.IsStdio)
        {
            return $"stdio: {string.Join(' ', [server.Command!, .. server.Arguments])}";
        }
        return server.Endpoint ?? "";
    }

    /// <summary>
    /// Opens a session. Over HTTP with a session revision configured (the default) the client initializes and
    /// gets a session; with the sessionless revision it sends each request on its own; with none it probes and
    /// takes what the server speaks. A stdio server gets a process of its own per session.
    /// </summary>
    /// <param name="notifications">
    /// Server notifications to handle. Over HTTP a session with handlers opens the standalone GET stream they
    /// arrive on; call sessions do not: they only POST, and a GET stream per pooled session would hold a
    /// connection and a server-side stream for nothing.
    /// </param>
    public async Task<McpClient> CreateAsync(
        string label,
        IEnumerable<KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>>? notifications,
        CancellationToken cancellationToken)
    {
        var server = GetServer(label);
        var pool = options.CurrentValue.Pool;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(pool.ConnectTimeout);
        var clientOptions = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "platform-api", Version = "1.0" },
            ProtocolVersion = string.IsNullOrEmpty(server.ProtocolVersion) ? null : server.ProtocolVersion,
            InitializationTimeout = pool.ConnectTimeout,
            Handlers = new McpClientHandlers { NotificationHandlers = notifications },
        };

        if (server.IsStdio)
        {
            return await StartStdioAsync(label, server, clientOptions, timeout.Token);
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Endpoint!, UriKind.Absolute),
            Name = label,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = HttpHeaders(label, server),
            EnableStandaloneGetStream = notifications is not null,
            ConnectionTimeout = pool.ConnectTimeout,
        }, _http, loggerFactory, ownsHttpClient: false);
        return await McpClient.CreateAsync(transport, clientOptions, loggerFactory, timeout.Token);
    }

    /// <summary>Ends a session the Api no longer wants (idle, shut down): not a crash, so it does not delay a restart.</summary>
    public async ValueTask CloseAsync(McpClient client)
    {
        _stdioSessions.TryUpdate(client, true, false);
        await client.DisposeAsync();
    }

    private Dictionary<string, string> HttpHeaders(string label, McpServerOptions server)
    {
        var headers = new Dictionary<string, string>(server.Headers, StringComparer.OrdinalIgnoreCase);
        var token = server.Token;
        if (string.IsNullOrEmpty(token) && label == ResourceNames.McpHost)
        {
            token = configuration["McpHost:Token"];
        }
        if (!string.IsNullOrEmpty(token))
        {
            headers["Authorization"] = $"Bearer {token}";
        }
        return headers;
    }

    private async Task<McpClient> StartStdioAsync(string label, McpServerOptions server, McpClientOptions clientOptions, CancellationToken cancellationToken)
    {
        var backoff = _restarts.GetOrAdd(label, _ => new StdioRestartBackoff(time));
        if (backoff.Remaining is { Ticks: > 0 } remaining)
        {
            throw new McpException($"MCP server '{label}' exited recently; it is started again in {remaining.TotalSeconds:0.0} s.");
        }

        var environment = server.InheritEnvironment ? new Dictionary<string, string?>() : StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        foreach (var (name, value) in server.Environment)
        {
            environment[name] = value;
        }
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = label,
            Command = server.Command!,
            Arguments = server.Arguments,
            WorkingDirectory = string.IsNullOrWhiteSpace(server.WorkingDirectory) ? null : server.WorkingDirectory,
            InheritEnvironmentVariables = server.InheritEnvironment,
            EnvironmentVariables = environment,
            StandardErrorLines = line => _logger.LogDebug("MCP server {Server} stderr: {Line}", label, line),
        }, loggerFactory);

        var startedAt = time.GetUtcNow();
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, clientOptions, loggerFactory, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            backoff.Exited(startedAt, server);
            throw;
        }

        _stdioSessions[client] = false;
        _ = client.Completion.ContinueWith(completion =>
        {
            if (_stdioSessions.TryRemove(client, out var closedByUs) && !closedByUs)
            {
                backoff.Exited(startedAt, server);
                var exitCode = (completion.IsCompletedSuccessfully ? completion.Result as StdioClientCompletionDetails : null)?.ExitCode;
                _logger.LogWarning("MCP server {Server} (stdio) exited with code {ExitCode}; it is started again on next use after {Delay:0.0} s.",
                    label, exitCode, backoff.Remaining.TotalSeconds);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return client;
    }

    public void Dispose() => _http.Dispose();
}
