using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>
/// An <see cref="McpClient"/> for pooled call sessions over Streamable HTTP: each request is one POST
/// whose body (JSON or SSE) carries the reply, read on the calling task. The SDK's transport hands
/// replies through a message channel and a continuation on another thread; on a loaded two-core
/// machine those hops cost more than the call itself. No standalone GET stream: sessions that must
/// hear server notifications between calls use the SDK's transport (see <see cref="McpClientFactory"/>).
/// </summary>
public sealed class StreamableHttpMcpClient : McpClient
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly ConcurrentDictionary<string, McpNotificationHandlers> _notificationHandlers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<ClientCompletionDetails> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastRequestId;
    private string? _sessionId;
    private string? _protocolVersion;
    private InitializeResult? _initialized;
    private int _disposed;

    // Deriving from McpClient is marked experimental (MCPEXP002); the package version is pinned centrally
    // and the pool tests exercise every member this class overrides.
#pragma warning disable MCPEXP002
    private StreamableHttpMcpClient(HttpClient http, Uri endpoint, IReadOnlyDictionary<string, string> headers)
#pragma warning restore MCPEXP002
    {
        _http = http;
        _endpoint = endpoint;
        _headers = headers;
    }

    public override string? SessionId => _sessionId;
    public override string? NegotiatedProtocolVersion => _protocolVersion;
    public override ServerCapabilities ServerCapabilities => Initialized.Capabilities;
    public override Implementation ServerInfo => Initialized.ServerInfo;
    public override string? ServerInstructions => Initialized.Instructions;
    public override Task<ClientCompletionDetails> Completion => _completion.Task;

    private InitializeResult Initialized => _initialized ?? throw new InvalidOperationException("The session is not initialized.");

    /// <summary>Opens a session: initialize, then notifications/initialized, as the lifecycle requires.</summary>
    public static async Task<StreamableHttpMcpClient> ConnectAsync(
        HttpClient http, Uri endpoint, IReadOnlyDictionary<string, string> headers,
        Implementation clientInfo, string? protocolVersion, CancellationToken cancellationToken)
    {
        var client = new StreamableHttpMcpClient(http, endpoint, headers);
        try
        {
            var initializeParams = new InitializeRequestParams
            {
                ProtocolVersion = protocolVersion ?? McpSessionProtocol.LatestVersion,
                ClientInfo = clientInfo,
                Capabilities = new ClientCapabilities(),
            };
            var response = await client.SendRequestAsync(new JsonRpcRequest
            {
                Method = RequestMethods.Initialize,
                Params = JsonSerializer.SerializeToNode(initializeParams, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams))),
            }, cancellationToken);
            client._initialized = (InitializeResult?)response.Result.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeResult)))
                ?? throw new McpException("The server answered initialize without a result.");
            client._protocolVersion = client._initialized.ProtocolVersion;
            await client.SendMessageAsync(new JsonRpcNotification { Method = NotificationMethods.InitializedNotification }, cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public override async Task<JsonRpcResponse> SendRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Id.Id is null)
        {
            request = new JsonRpcRequest
            {
                Id = new RequestId(Interlocked.Increment(ref _lastRequestId)),
                Method = request.Method,
                Params = request.Params,
                Context = request.Context,
            };
        }
        try
        {
            using var response = await PostAsync(request, cancellationToken);
            if (request.Method == RequestMethods.Initialize && response.Headers.TryGetValues(McpSessionProtocol.SessionIdHeader, out var ids))
            {
                _sessionId = ids.FirstOrDefault();
            }
            var reply = await McpReplyReader.ReadAsync(response, request.Id, this, cancellationToken)
                ?? throw new McpException($"The server's answer to {request.Method} carried no reply.");
            return reply switch
            {
                JsonRpcResponse success => success,
                JsonRpcError error => throw new McpProtocolException(error.Error.Message, (McpErrorCode)error.Error.Code),
                _ => throw new McpException("Invalid response type."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && request.Method != RequestMethods.Initialize)
        {
            // Tell the server to stop working on it; the spec makes this best effort.
            _ = NotifyCancelledAsync(request.Id);
            throw;
        }
    }

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        if (message is JsonRpcRequest)
        {
            throw new InvalidOperationException("Requests go through SendRequestAsync, which waits for their reply.");
        }
        using var response = await PostAsync(message, cancellationToken);
    }

    public override IAsyncDisposable RegisterNotificationHandler(string method, Func<JsonRpcNotification, CancellationToken, ValueTask> handler) =>
        _notificationHandlers.GetOrAdd(method, static _ => new McpNotificationHandlers()).Add(handler);

    public override ValueTask<IDictionary<string, InputResponse>> ResolveInputRequestsAsync(
        IDictionary<string, InputRequest> inputRequests, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Pooled gateway sessions do not answer server input requests.");

    /// <summary>A notification that arrived inside a POST's SSE reply.</summary>
    internal async ValueTask OnNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (_notificationHandlers.TryGetValue(notification.Method, out var handlers))
        {
            await handlers.InvokeAsync(notification, cancellationToken);
        }
    }

    /// <summary>The server asked something of the client mid-call (sampling, elicitation, roots, ping); a gateway session answers ping and declines the rest.</summary>
    internal async ValueTask OnServerRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        JsonRpcMessage answer = request.Method == RequestMethods.Ping
            ? new JsonRpcResponse { Id = request.Id, Result = new System.Text.Json.Nodes.JsonObject() }
            : new JsonRpcError { Id = request.Id, Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.MethodNotFound, Message = $"The gateway does not support {request.Method}." } };
        using var response = await PostAsync(answer, cancellationToken);
    }

    private async Task<HttpResponseMessage> PostAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, McpSessionProtocol.MessageTypeInfo);
        using var request = CreateRequest(HttpMethod.Post);
        request.Headers.Accept.Add(Json);
        request.Headers.Accept.Add(EventStream);
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && _sessionId is not null)
            {
                // The server no longer knows the session: it is over, whatever was asked.
                _completion.TrySetResult(new HttpClientCompletionDetails { HttpStatusCode = HttpStatusCode.NotFound });
            }
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"The MCP server answered {(int)response.StatusCode} ({response.ReasonPhrase}): {McpSessionProtocol.Truncate(detail)}",
                inner: null, response.StatusCode);
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, _endpoint);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (_sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpSessionProtocol.SessionIdHeader, _sessionId);
        }
        if (_protocolVersion is not null)
        {
            request.Headers.TryAddWithoutValidation(McpSessionProtocol.ProtocolVersionHeader, _protocolVersion);
        }
        return request;
    }

    private async Task NotifyCancelledAsync(RequestId id)
    {
        try
        {
            await SendMessageAsync(new JsonRpcNotification
            {
                Method = NotificationMethods.CancelledNotification,
                Params = JsonSerializer.SerializeToNode(new CancelledNotificationParams { RequestId = id }, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CancelledNotificationParams))),
            });
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Ends the session on the server (DELETE, which a server may refuse with 405) and completes <see cref="Completion"/>.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            if (_sessionId is not null && !_completion.Task.IsCompleted)
            {
                using var request = CreateRequest(HttpMethod.Delete);
                using var response = await _http.SendAsync(request);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // The server is gone or slow; the session ends on its side by expiry.
        }
        finally
        {
            _completion.TrySetResult(new ClientCompletionDetails());
        }
    }
}
