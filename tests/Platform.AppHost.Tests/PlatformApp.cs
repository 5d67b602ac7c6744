using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.AppHost.Tests;

/// <summary>
/// The real AppHost started through Aspire.Hosting.Testing with local infrastructure (redis-server
/// and postgres as executables) in a private data directory; one per test class. The orchestrator
/// watches this process, so the application ends with the test run even when it is killed.
/// It runs in the Production environment, as a deployment does: API keys are required, so callers get
/// a tenant key made through the admin API at start.
/// </summary>
public sealed class PlatformApp : IAsyncLifetime
{
    private const string DirectoryPrefix = "platform-apphost-tests-";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);

    public DistributedApplication App { get; private set; } = null!;

    public string AdminKey { get; } = RandomSecret();

    public const string EnvironmentName = "Production";

    /// <summary>A tenant's API key, created through the admin API once the application is up.</summary>
    public string TenantKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        RemoveDirectoriesOfEndedRuns();
        Directory.CreateDirectory(_dataDirectory);

        // Every generated parameter is given, so nothing is written to the AppHost's user secrets.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
        [
            "--Infrastructure:Mode=local",
            $"--Infrastructure:DataDirectory={_dataDirectory}",
            $"--Parameters:admin-key={AdminKey}",
            $"--Parameters:mcp-token={RandomSecret()}",
            $"--Parameters:redis-password={RandomSecret()}",
            $"--Parameters:postgres-password={RandomSecret()}",
        ], (_, host) => host.EnvironmentName = EnvironmentName);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);
        foreach (var resource in new[] { "redis", "postgres", "mcphost", "worker", "api" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        using var admin = CreateApiClient(asAdmin: true);
        using var created = await admin.PostAsJsonAsync("/v1/admin/keys", new { name = "apphost-tests", tenant_id = "apphost-tests" }, timeout.Token);
        created.EnsureSuccessStatusCode();
        TenantKey = (await created.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("key").GetString()!;
    }

    /// <summary>A client of the Api with the tenant key, or the admin key.</summary>
    public HttpClient CreateApiClient(bool asAdmin = false)
    {
        var client = CreateAnonymousApiClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", asAdmin ? AdminKey : TenantKey);
        return client;
    }

    public HttpClient CreateAnonymousApiClient() => App.CreateHttpClient("api");

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        TryDelete(_dataDirectory);
    }

    private static string RandomSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A run that was killed could not clean up after itself; its process is gone now.</summary>
    private static void RemoveDirectoriesOfEndedRuns()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var pid = Path.GetFileName(directory)[DirectoryPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !ProcessIsAlive(id))
            {
                TryDelete(directory);
            }
        }
    }

    private static bool ProcessIsAlive(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
