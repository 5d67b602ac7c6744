using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Platform.ServiceDefaults.ServiceDiscovery;

namespace Platform.Api.Tools.Sessions;

/// <summary>
/// Opens MCP sessions to configured servers. The endpoint is resolved through service discovery on
/// every open, so a moved server is found again; HTTP connections are shared by all sessions.
/// No resilience handler: an MCP POST is not safe to replay blindly, the pool decides what to retry.
/// </summary>
public sealed class McpClientFactory(
    IOptionsMonitor<McpOptions> options,
    ServiceEndpointResolver resolver,
    IConfiguration configuration,
    ILoggerFactory loggerFactory) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.CurrentValue.Pool.ConnectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly ConcurrentDictionary<string, Uri> _resolved = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> ServerLabels =>
        options.CurrentValue.Servers.Where(s => s.Value.Enabled && !string.IsNullOrWhiteSpace(s.Value.Endpoint)).Select(s => s.Key).ToArray();

    public McpServerOptions GetServer(string label) =>
        options.CurrentValue.Servers.TryGetValue(label, out var server) && server.Enabled
            ? server
            : throw new KeyNotFoundException($"No MCP server '{label}' is configured.");

    /// <summary>The concrete endpoint a server's sessions connect to now.</summary>
    public Uri ResolveEndpoint(string label)
    {
        var server = GetServer(label);
        var logical = new Uri(server.Endpoint!, UriKind.Absolute);
        var resolved = resolver.Resolve(logical);
        _resolved[label] = resolved;
        return resolved;
    }

    /// <summary>The endpoint last resolved, for display (no resolution side effects).</summary>
    public string DescribeEndpoint(string label) =>
        _resolved.TryGetValue(label, out var uri) ? uri.ToString() : GetServer(label).Endpoint ?? "";

    /// <summary>
    /// Opens a session with the SDK's client over the shared HttpClient. With a session revision configured
    /// (the default) the client initializes and gets a session; with the sessionless revision it sends each
    /// request on its own; with none it probes and takes what the server speaks.
    /// </summary>
    /// <param name="notifications">
    /// Server notifications to handle; a session with handlers opens the standalone GET stream they arrive on.
    /// Call sessions do not: they only POST, and a GET stream per pooled session would hold a connection and a
    /// server-side stream for nothing.
    /// </param>
    public async Task<McpClient> CreateAsync(
        string label,
        IEnumerable<KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>>? notifications,
        CancellationToken cancellationToken)
    {
        var server = GetServer(label);
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

        var pool = options.CurrentValue.Pool;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(pool.ConnectTimeout);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = ResolveEndpoint(label),
            Name = label,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
            EnableStandaloneGetStream = notifications is not null,
            ConnectionTimeout = pool.ConnectTimeout,
        }, _http, loggerFactory, ownsHttpClient: false);

        var clientOptions = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "platform-api", Version = "1.0" },
            ProtocolVersion = string.IsNullOrEmpty(server.ProtocolVersion) ? null : server.ProtocolVersion,
            InitializationTimeout = pool.ConnectTimeout,
            Handlers = new McpClientHandlers { NotificationHandlers = notifications },
        };
        return await McpClient.CreateAsync(transport, clientOptions, loggerFactory, timeout.Token);
    }

    public void Dispose() => _http.Dispose();
}
