using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace Platform.McpHost.Tests.Infrastructure;

/// <summary>McpHost on a real Kestrel port on 127.0.0.1, with a token and one allowed browser origin.</summary>
public class McpHostServer : IAsyncLifetime
{
    public const string Token = "test-token-5f2c";
    public const string AllowedOrigin = "http://localhost:3000";

    private WebApplicationFactory<McpHostAssembly>? _factory;

    /// <summary>The revision that still has sessions; the SDK client's default is the sessionless one.</summary>
    public const string SessionProtocolVersion = "2025-11-25";

    public ReloadableConfigurationSource Configuration { get; } = new();

    /// <summary>The host's clock: tests move it forward to make sessions idle.</summary>
    public ShiftableTimeProvider Time { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;
    public Uri Endpoint => new(BaseAddress, "/mcp");
    public IServiceProvider Services => _factory!.Services;

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["McpHost:Token"] = Token,
        ["McpHost:AllowedOrigins:0"] = AllowedOrigin,
    };

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<McpHostAssembly>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.ConfigureAppConfiguration(config =>
            {
                config.AddInMemoryCollection(Settings);
                config.Add(Configuration);
            });
            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
        return Task.CompletedTask;
    }

    public HttpClient CreateHttpClient(string? token = Token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>An SDK client with a session (initialize handshake) unless <paramref name="options"/> say otherwise.</summary>
    public async Task<McpClient> ConnectAsync(McpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new McpClientOptions { ProtocolVersion = SessionProtocolVersion };
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {Token}" },
        });
        return await McpClient.CreateAsync(transport, options, cancellationToken: cancellationToken);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
