using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>
/// Opens MCP sessions to configured servers. A logical endpoint (<c>http://mcphost/mcp</c>) is resolved by
/// service discovery on every request, so a moved server is found again; HTTP connections are shared by all sessions.
/// </summary>
public sealed class McpClientFactory(
    IOptionsMonitor<McpOptions> options,
    IHttpClientFactory httpClientFactory,
    IConfiguration configuration,
    ILoggerFactory loggerFactory) : IDisposable
{
    public const string HttpClientName = "Platform.Mcp";

    private readonly HttpClient _http = httpClientFactory.CreateClient(HttpClientName);

    public IReadOnlyCollection<string> ServerLabels =>
        options.CurrentValue.Servers.Where(s => s.Value.Enabled && !string.IsNullOrWhiteSpace(s.Value.Endpoint)).Select(s => s.Key).ToArray();

    public McpServerOptions GetServer(string label) =>
        options.CurrentValue.Servers.TryGetValue(label, out var server) && server.Enabled
            ? server
            : throw new KeyNotFoundException($"No MCP server '{label}' is configured.");

    /// <summary>The endpoint as configured, for display.</summary>
    public string DescribeEndpoint(string label) => GetServer(label).Endpoint ?? "";

    /// <param name="notifications">
    /// Server notifications to handle; a session with handlers opens the standalone GET stream they arrive on
    /// (the SDK's transport). Without them the session is a call session (<see cref="StreamableHttpMcpClient"/>).
    /// </param>
    public async Task<McpClient> CreateAsync(
        string label,
        IEnumerable<KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>>? notifications,
        CancellationToken cancellationToken)
    {
        var server = GetServer(label);
        var endpoint = new Uri(server.Endpoint!, UriKind.Absolute);
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

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CurrentValue.Pool.ConnectTimeout);
        var clientInfo = new Implementation { Name = "platform-api", Version = "1.0" };
        var protocolVersion = string.IsNullOrEmpty(server.ProtocolVersion) ? null : server.ProtocolVersion;
        if (notifications is null)
        {
            return await StreamableHttpMcpClient.ConnectAsync(_http, endpoint, headers, clientInfo, protocolVersion, timeout.Token);
        }

        // A listening session needs the standalone GET stream, which the SDK's transport keeps open.
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            Name = label,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
            EnableStandaloneGetStream = true,
            ConnectionTimeout = options.CurrentValue.Pool.ConnectTimeout,
        }, _http, loggerFactory, ownsHttpClient: false);

        var clientOptions = new McpClientOptions
        {
            ClientInfo = clientInfo,
            ProtocolVersion = protocolVersion,
            InitializationTimeout = options.CurrentValue.Pool.ConnectTimeout,
            Handlers = new McpClientHandlers { NotificationHandlers = notifications },
        };
        return await McpClient.CreateAsync(transport, clientOptions, loggerFactory, timeout.Token);
    }

    public void Dispose() => _http.Dispose();
}
