using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Routing;

/// <summary>
/// The Api with three more stub upstreams, each a provider (<c>route-a</c>, <c>route-b</c>, <c>route-c</c>), a
/// provider whose port refuses connections (<c>route-down</c>), and models routed over them. Each test uses
/// models of its own, so one test's cool-downs never touch another's. Routing reads cool-downs from
/// <see cref="Clock"/>, which the tests move by hand.
/// </summary>
public sealed class RoutingApiFactory : ApiFactory
{
    public static readonly TimeSpan CoolDown = TimeSpan.FromMinutes(1);

    public StubUpstream A { get; private set; } = null!;
    public StubUpstream B { get; private set; } = null!;
    public StubUpstream C { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-12-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private Uri _refusing = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        A = await StubUpstream.StartAsync();
        B = await StubUpstream.StartAsync();
        C = await StubUpstream.StartAsync();
        _refusing = new Uri($"http://127.0.0.1:{ClosedPort()}/v1");
    }

    /// <summary>A loopback port nothing listens on: connecting to it is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Routing:CoolDown"] = CoolDown.ToString(),
                ["Routing:FailuresBeforeCoolDown"] = "3",
            };
            void Provider(string name, Uri endpoint)
            {
                settings[$"Providers:{name}:Type"] = "openai";
                settings[$"Providers:{name}:Endpoint"] = endpoint.ToString();
                settings[$"Providers:{name}:ApiKey"] = $"{name}-key";
                settings[$"Providers:{name}:Resilience:RetryDelay"] = "00:00:00.010";
            }
            Provider("route-a", A.BaseUrl);
            Provider("route-b", B.BaseUrl);
            Provider("route-c", C.BaseUrl);
            Provider("route-down", _refusing);
            foreach (var (model, deployments, fallbacks) in Models)
            {
                for (var i = 0; i < deployments.Length; i++)
                {
                    var (name, provider, upstream, weight, priority) = deployments[i];
                    var prefix = $"Routing:Models:{model}:Deployments:{i}:";
                    settings[prefix + "Name"] = name;
                    settings[prefix + "Provider"] = provider;
                    settings[prefix + "Model"] = upstream;
                    settings[prefix + "Weight"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    settings[prefix + "Priority"] = priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                for (var i = 0; i < fallbacks.Length; i++)
                {
                    settings[$"Routing:Models:{model}:Fallbacks:{i}"] = fallbacks[i];
                }
            }
            return settings;
        }
    }

    /// <summary>Each model's deployments (name, provider, upstream model, weight, priority) and fallbacks.</summary>
    private static readonly (string Model, (string, string, string, int, int)[] Deployments, string[] Fallbacks)[] Models =
    [
        ("weighted", [("a", "route-a", "weighted-a", 1, 0), ("b", "route-b", "weighted-b", 3, 0), ("c", "route-c", "weighted-c", 1, 1)], []),
        ("refused", [("a", "route-a", "refused-a", 1, 0), ("b", "route-b", "refused-b", 1, 1)], []),
        ("refused-stream", [("a", "route-a", "refused-stream-a", 1, 0), ("b", "route-b", "refused-stream-b", 1, 1)], []),
        ("unreachable", [("down", "route-down", "unreachable", 1, 0), ("b", "route-b", "unreachable-b", 1, 1)], []),
        ("dropped-stream", [("a", "route-a", "dropped-stream-a", 1, 0), ("b", "route-b", "dropped-stream-b", 1, 1)], []),
        ("broken-stream", [("a", "route-a", "broken-stream-a", 1, 0), ("b", "route-b", "broken-stream-b", 1, 1)], []),
        ("failing", [("a", "route-a", "failing-a", 1, 0), ("b", "route-b", "failing-b", 1, 1)], []),
        ("slow", [("a", "route-a", "slow-a", 1, 0), ("b", "route-b", "slow-b", 1, 1)], []),
        ("primary", [("a", "route-a", "primary-a", 1, 0)], ["secondary"]),
        ("secondary", [("c", "route-c", "secondary-c", 1, 0)], []),
        ("usage", [("a", "route-a", "usage-a", 1, 0), ("b", "route-b", "usage-b", 1, 1)], []),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A 1 s timeout for route-a, so the timeout test is short; the others keep the default.
        builder.UseSetting("Providers:route-a:Timeout", "00:00:01");
        builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(RoutingExtensions.TimeProviderKey, Clock));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
    }
}
