using System.Net;
using Microsoft.Extensions.Options;

namespace Platform.Api.Tools.Sessions;

public static class McpHttpClientExtensions
{
    /// <summary>
    /// The HttpClient every MCP session shares. Not the standard resilience handler the client defaults add:
    /// a listening session keeps its GET stream open for list_changed notifications as long as it lives,
    /// which the handler's 10 s attempt and 30 s total timeouts would cut, and an MCP POST is not safe to
    /// replay blindly (the pool decides what to retry). Service discovery, from the client defaults, stays.
    /// </summary>
    public static IHttpClientBuilder AddMcpHttpClient(this IServiceCollection services)
    {
        // The package's way to take a client out of the defaults; marked experimental only because its shape may change.
#pragma warning disable EXTEXP0001
        var client = services.AddHttpClient(McpClientFactory.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return client
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
                ConnectTimeout = sp.GetRequiredService<IOptions<McpOptions>>().Value.Pool.ConnectTimeout,
                AutomaticDecompression = DecompressionMethods.None,
            })
            // McpClientFactory holds one client for its lifetime, so the handler is never rotated under it.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
    }
}
