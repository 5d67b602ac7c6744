using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;
using Platform.Data;

namespace Platform.Foundation.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task AClientNamingALogicalServiceReachesTheEndpointAspirePasses()
    {
        await using var mcphost = await EchoServer.StartAsync();
        using var host = ServiceDefaultsHost(("services:mcphost:http:0", mcphost.BaseUrl));

        var answer = await Client(host).GetStringAsync("http://mcphost/mcp");

        Assert.Equal("/mcp", answer);
    }

    [Fact]
    public async Task HttpsPlusHttpFallsBackToHttpWhenOnlyHttpIsPassed()
    {
        await using var mcphost = await EchoServer.StartAsync();
        using var host = ServiceDefaultsHost(("services:mcphost:http:0", mcphost.BaseUrl));

        var answer = await Client(host).GetStringAsync("https+http://mcphost/mcp");

        Assert.Equal("/mcp", answer);
    }

    [Fact]
    public async Task HttpsPlusHttpPrefersHttpsWhenBothArePassed()
    {
        using var host = ServiceDefaultsHost(("services:mcphost:http:0", "http://127.0.0.1:1"), ("services:mcphost:https:0", "https://127.0.0.1:2"));
        var resolver = host.Services.GetRequiredService<ServiceEndpointResolver>();

        var endpoints = await resolver.GetEndpointsAsync("https+http://mcphost", CancellationToken.None);

        var endpoint = Assert.Single(endpoints.Endpoints);
        Assert.Contains("https://127.0.0.1:2", endpoint.EndPoint.ToString());
    }

    [Fact]
    public async Task RealHostNamesAndAddressesPassThroughUnchanged()
    {
        await using var server = await EchoServer.StartAsync();
        using var host = ServiceDefaultsHost();

        var answer = await Client(host).GetStringAsync(server.BaseUrl + "/v1/models");

        Assert.Equal("/v1/models", answer);
    }

    [Fact]
    public async Task DoubleUnderscoreEnvironmentVariablesBindConnectionStringsAndServiceUrls()
    {
        await using var mcphost = await EchoServer.StartAsync();
        // A prefix of this test's own keeps the process environment of other tests untouched.
        var prefix = $"PLATFORM_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "ConnectionStrings__platformdb", "Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=platformdb");
        Environment.SetEnvironmentVariable(prefix + "services__mcphost__http__0", mcphost.BaseUrl);
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.AddServiceDefaults();
            using var host = builder.Build();

            Assert.Equal("Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=platformdb", builder.Configuration.GetConnectionString(ResourceNames.Database));
            Assert.Equal("/mcp", await Client(host).GetStringAsync("http://mcphost/mcp"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "ConnectionStrings__platformdb", null);
            Environment.SetEnvironmentVariable(prefix + "services__mcphost__http__0", null);
        }
    }

    [Fact]
    public void DbContextUsesTheConnectionStringNamedByTheResource()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:platformdb"] = "Host=127.0.0.1;Port=6543;Username=u;Password=p;Database=platformdb";
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database, configureDbContextOptions: o => PlatformDatabase.ConfigureOptions(o));
        using var provider = builder.Services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var connectionString = scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Database.GetConnectionString();

        Assert.Contains("Port=6543", connectionString);
        Assert.Contains("Database=platformdb", connectionString);
    }

    [Fact]
    public void MissingConnectionStringNamesTheSettingToProvide()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear(); // nothing from the environment, which may name a database
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database);
        using var provider = builder.Services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<PlatformDbContext>());

        Assert.Contains("ConnectionStrings:platformdb", error.Message);
    }

    private static IHost ServiceDefaultsHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        return builder.Build();
    }

    private static HttpClient Client(IHost host) => host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

    /// <summary>A loopback server that answers every GET with the path it was asked for.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EchoServer(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

        public string BaseUrl { get; }

        public static async Task<EchoServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/{**path}", (HttpContext context) => context.Request.Path.Value);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EchoServer(app, address.TrimEnd('/'));
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
