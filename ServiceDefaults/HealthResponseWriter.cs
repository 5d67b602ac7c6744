using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Writes a health report as JSON. Operators see which dependency failed and why; anyone else only the
/// status, because the entries name the dependencies and their errors (host names, ports, exception
/// text). Details go to loopback callers (the orchestrator's probes, an operator on the machine; a caller
/// without an IP address is in-process) and to a caller presenting the service's admin key
/// (<see cref="AdminKeySetting"/>, where the service has one).
/// </summary>
internal static class HealthResponseWriter
{
    public const string AdminKeySetting = "Auth:AdminKey";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        // Health is probed every few seconds; a proxy must not serve a stale answer.
        context.Response.Headers.CacheControl = "no-store";
        object body = MayReadDetails(context)
            ? new
            {
                status = report.Status.ToString(),
                totalDurationMs = report.TotalDuration.TotalMilliseconds,
                entries = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new
                    {
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description ?? e.Value.Exception?.Message,
                        durationMs = e.Value.Duration.TotalMilliseconds,
                    }),
            }
            : new { status = report.Status.ToString() };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    internal static bool MayReadDetails(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address || IsLoopback(address))
        {
            return true;
        }
        var adminKey = context.RequestServices.GetService<IConfiguration>()?[AdminKeySetting];
        var header = context.Request.Headers.Authorization.ToString();
        return !string.IsNullOrEmpty(adminKey)
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)));
    }

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
