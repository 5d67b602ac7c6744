using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.McpHost;

namespace Platform.Api.Tests.Tools.Infrastructure;

/// <summary>
/// The real McpHost on a Kestrel port of 127.0.0.1 that can be stopped and started again on the same
/// port, as a restarted server would be.
/// </summary>
public sealed class McpHostInstance : IAsyncDisposable
{
    public const string Token = "tools-test-token-7d1e";

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private WebApplicationFactory<McpHostAssembly>? _factory;
    private int _getStreams;

    private McpHostInstance(IReadOnlyDictionary<string, string?>? settings)
    {
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public int Port { get; private set; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public Uri Endpoint => new(BaseAddress, "/mcp");
    public bool IsRunning => _factory is not null;

    /// <summary>GET requests to /mcp so far: how many standalone streams clients tried to open.</summary>
    public int GetStreamsOpened => Volatile.Read(ref _getStreams);

    /// <summary>The value of <see cref="TracedHeader"/> on the last /mcp request, to check what clients send.</summary>
    public string? LastTracedHeader { get; private set; }

    public const string TracedHeader = "X-Gateway-Test";

    /// <param name="settings">McpHost configuration on top of the token, e.g. <c>McpHost:ToolsPageSize</c>.</param>
    public static McpHostInstance Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var instance = new McpHostInstance(settings);
        instance.StartOnPort(0);
        return instance;
    }

    public void StartAgain()
    {
        if (_factory is null)
        {
            StartOnPort(Port);
        }
    }

    public async Task StopAsync()
    {
        if (_factory is { } factory)
        {
            _factory = null;
            await factory.DisposeAsync();
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        StartAgain();
    }

    /// <summary>Turns a tool off (or on) through McpHost's admin API; connected sessions get list_changed.</summary>
    public async Task SetToolEnabledAsync(string tool, bool enabled)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await http.PostAsync($"/admin/tools/{tool}/{(enabled ? "enable" : "disable")}", null);
        response.EnsureSuccessStatusCode();
    }

    private void StartOnPort(int port)
    {
        var factory = new WebApplicationFactory<McpHostAssembly>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("McpHost:Token", Token);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in _settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new CountGetStreams(this)));
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _factory = factory;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private sealed class CountGetStreams(McpHostInstance owner) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Path.StartsWithSegments("/mcp"))
                {
                    if (HttpMethods.IsGet(context.Request.Method))
                    {
                        Interlocked.Increment(ref owner._getStreams);
                    }
                    owner.LastTracedHeader = context.Request.Headers[TracedHeader].ToString();
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
