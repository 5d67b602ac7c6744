using System.Diagnostics;
using System.Text.Json;

namespace Platform.AppHost.Tests;

/// <summary>
/// The manifest is what <c>azd</c> turns into Azure Container Apps; it always describes the
/// container form of the infrastructure, whatever this machine runs locally.
/// </summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("platform-manifest-").FullName;
    private JsonElement _resources;

    public async Task InitializeAsync()
    {
        var output = Path.Combine(_directory, "aspire-manifest.json");
        var appHost = Path.Combine(AppContext.BaseDirectory, "Platform.AppHost.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [appHost, "--publisher", "manifest", "--output-path", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"manifest publishing failed: {await stdout}{await stderr}");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        _resources = manifest.RootElement.GetProperty("resources").Clone();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void TheManifestHasTheThreeProjectsRedisPostgresAndTheDatabase()
    {
        Assert.Equal("project.v0", Type("api"));
        Assert.Equal("project.v0", Type("worker"));
        Assert.Equal("project.v0", Type("mcphost"));
        Assert.StartsWith("container.", Type("redis"));
        Assert.StartsWith("container.", Type("postgres"));
        Assert.Equal("value.v0", Type("platformdb"));
        Assert.Equal("{postgres.connectionString};Database=platformdb", _resources.GetProperty("platformdb").GetProperty("connectionString").GetString());
    }

    [Fact]
    public void EverySecretIsAParameterMarkedSecret()
    {
        foreach (var name in new[] { "mcp-token", "admin-key" })
        {
            Assert.Equal("parameter.v0", Type(name));
            Assert.True(_resources.GetProperty(name).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), name);
        }
        // No value of a secret is written into the manifest: the services get parameter references.
        var api = _resources.GetProperty("api").GetProperty("env");
        Assert.Equal("{admin-key.value}", api.GetProperty("Auth__AdminKey").GetString());
        Assert.Equal("{mcp-token.value}", api.GetProperty("McpHost__Token").GetString());
        Assert.Equal("{mcp-token.value}", _resources.GetProperty("mcphost").GetProperty("env").GetProperty("McpHost__Token").GetString());
    }

    [Fact]
    public void TheServicesReceiveTheConnectionsTheyRead()
    {
        foreach (var service in new[] { "api", "worker" })
        {
            var env = _resources.GetProperty(service).GetProperty("env");
            Assert.Equal("{redis.connectionString}", env.GetProperty("ConnectionStrings__redis").GetString());
            Assert.Equal("{platformdb.connectionString}", env.GetProperty("ConnectionStrings__platformdb").GetString());
        }
        var apiEnv = _resources.GetProperty("api").GetProperty("env");
        Assert.Equal("{mcphost.bindings.http.url}", apiEnv.GetProperty("services__mcphost__http__0").GetString());
        // Only the Api is reachable from outside the environment.
        Assert.True(_resources.GetProperty("api").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(_resources.GetProperty("mcphost").GetProperty("bindings").GetProperty("http").TryGetProperty("external", out var external) && external.GetBoolean());
    }

    private string Type(string resource) => _resources.GetProperty(resource).GetProperty("type").GetString()!;
}
