using Platform.Data;
using Platform.McpHost;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task WorkerIsHealthyOnceItHasMigratedTheDatabase()
    {
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>();
        using var client = worker.CreateClient();

        var (status, body) = await ServiceHosts.WaitForHealthAsync(client, "Healthy");

        Assert.Equal(200, status);
        Assert.Contains("migrations", body);
        Assert.Equal(200, (int)(await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task ApiAndMcpHostReportHealthyWithTheServersUp()
    {
        var database = await SharedServers.CreateDatabaseAsync();
        await using (var worker = await ServiceHosts.StartAsync<WorkerAssembly>(database))
        {
            await ServiceHosts.WaitForHealthAsync(worker.CreateClient(), "Healthy");
        }
        await using var api = await ServiceHosts.StartAsync<ApiAssembly>(database);
        await using var mcpHost = await ServiceHosts.StartAsync<McpHostAssembly>();

        var (apiStatus, apiBody) = await ServiceHosts.WaitForHealthAsync(api.CreateClient(), "Healthy");
        var (mcpStatus, mcpBody) = await ServiceHosts.WaitForHealthAsync(mcpHost.CreateClient(), "Healthy");

        Assert.True(apiStatus == 200, apiBody);
        Assert.True(mcpStatus == 200, mcpBody);
    }

    [Fact]
    public async Task HealthIsUnhealthyWhilePostgresIsDownAndRecoversWhenItReturns()
    {
        await using var postgres = await PostgresServer.LaunchAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(database);
        using var client = worker.CreateClient();
        Assert.Equal(200, (await ServiceHosts.WaitForHealthAsync(client, "Healthy")).StatusCode);

        await postgres.CrashAsync();
        var (downStatus, downBody) = await ServiceHosts.WaitForHealthAsync(client, "Unhealthy");

        Assert.Equal(503, downStatus);
        // The Aspire integration's check, named after the context.
        Assert.Contains(nameof(PlatformDbContext), downBody);

        await postgres.StartAsync();
        Assert.Equal(200, (await ServiceHosts.WaitForHealthAsync(client, "Healthy")).StatusCode);
    }

    [Fact]
    public async Task WithRedisDownTheApiIsDegradedButAnswersWhileTheWorkerIsUnhealthy()
    {
        await using var redis = await RedisServer.LaunchAsync();
        var database = await SharedServers.CreateDatabaseAsync();
        var settings = new Dictionary<string, string> { ["ConnectionStrings:redis"] = redis.ConnectionString };
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(database, settings);
        await using var api = await ServiceHosts.StartAsync<ApiAssembly>(database, settings);
        using var workerClient = worker.CreateClient();
        using var apiClient = api.CreateClient();
        Assert.Equal(200, (await ServiceHosts.WaitForHealthAsync(workerClient, "Healthy")).StatusCode);
        Assert.Equal(200, (await ServiceHosts.WaitForHealthAsync(apiClient, "Healthy")).StatusCode);

        await redis.KillAsync();
        var (apiStatus, apiBody) = await ServiceHosts.WaitForHealthAsync(apiClient, "Degraded");
        var (workerStatus, _) = await ServiceHosts.WaitForHealthAsync(workerClient, "Unhealthy");

        Assert.True(apiStatus == 200, apiBody);
        Assert.Contains("cache-l2", apiBody);
        Assert.Equal(503, workerStatus);

        await redis.StartAsync();
        Assert.Equal(200, (await ServiceHosts.WaitForHealthAsync(apiClient, "Healthy")).StatusCode);
        Assert.Equal(200, (await ServiceHosts.WaitForHealthAsync(workerClient, "Healthy")).StatusCode);
    }

    [Fact]
    public async Task ServicesStartWhileRedisIsDownAndTheApiAnswersChat()
    {
        var database = await SharedServers.CreateDatabaseAsync();
        // Nothing listens on this port: the services must start anyway (abortConnect=false).
        var journal = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = $"127.0.0.1:{ServerProcess.GetFreePort()},abortConnect=false,connectTimeout=500",
            ["Usage:JournalDirectory"] = journal, // the chat's usage record lands there
        };
        try
        {
            await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(database, settings);
            await using var api = await ServiceHosts.StartAsync<ApiAssembly>(database, settings);
            using var apiClient = api.CreateClient();

            using var chat = await apiClient.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"offline","messages":[{"role":"user","content":"Redis is down"}]}""", System.Text.Encoding.UTF8, "application/json"));
            var (apiStatus, apiBody) = await ServiceHosts.WaitForHealthAsync(apiClient, "Degraded");
            var (workerStatus, _) = await ServiceHosts.WaitForHealthAsync(worker.CreateClient(), "Unhealthy");

            Assert.Equal(200, (int)chat.StatusCode);
            Assert.True(apiStatus == 200, apiBody);
            Assert.Equal(503, workerStatus);
        }
        finally
        {
            if (Directory.Exists(journal))
            {
                Directory.Delete(journal, recursive: true);
            }
        }
    }

    [Fact]
    public async Task AlivenessDoesNotDependOnPostgres()
    {
        await using var postgres = await PostgresServer.LaunchAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var worker = await ServiceHosts.StartAsync<WorkerAssembly>(database);
        using var client = worker.CreateClient();
        await ServiceHosts.WaitForHealthAsync(client, "Healthy");

        await postgres.CrashAsync();

        Assert.Equal(200, (int)(await client.GetAsync("/alive")).StatusCode);
    }
}
