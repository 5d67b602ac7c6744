using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Benchmarks;

/// <summary>The benchmark's in-process servers: Kestrel on a free port of 127.0.0.1, started and stopped alike.</summary>
internal static class LoopbackWebApp
{
    public static void ListenOnLoopback(this WebApplicationBuilder builder) =>
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    /// <summary>Starts the app; its address without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static async Task<string> StartOnLoopbackAsync(this WebApplication app)
    {
        await app.StartAsync();
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public static async ValueTask StopAndDisposeAsync(this WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
