using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.Testing;

namespace Platform.Redis.Tests;

public class HostingTests
{
    [Fact]
    public void MissingConnectionStringNamesTheKeyAndVariable()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddRedisClient("cache"));

        Assert.Contains("ConnectionStrings:cache", error.Message);
        Assert.Contains("ConnectionStrings__cache", error.Message);
    }

    [Fact]
    public async Task OneSharedConnectionIsRegisteredAndReportedHealthy()
    {
        using var host = BuildHost(await SharedServers.GetRedisConnectionStringAsync());

        var redis = host.Services.GetRequiredService<RedisConnection>();
        Assert.Same(redis, host.Services.GetRequiredService<RedisConnection>());
        await redis.PingAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["redis"].Status);
    }

    [Fact]
    public async Task ServiceStartsWhileRedisIsDownAndReportsUnhealthy()
    {
        await using var server = await RedisServer.LaunchAsync();
        await server.KillAsync();
        using var host = BuildHost(server.ConnectionString.Replace("abortConnect=false", "abortConnect=true"));

        var redis = host.Services.GetRequiredService<RedisConnection>();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.False(redis.IsConnected);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["redis"].Status);
    }

    [Fact]
    public async Task EachCommandEmitsAClientSpanWithoutValues()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Platform.Redis",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var server = await SharedServers.GetRedisConnectionStringAsync();
        await using var redis = await RedisConnection.ConnectAsync(server);
        var key = SharedServers.UniquePrefix("span") + "secret-key";

        using (var parent = new Activity("request").Start())
        {
            await redis.SetAsync(key, "secret-value"u8.ToArray());
            Assert.Same(parent, Activity.Current);
        }

        var span = Assert.Single(spans, s => s.DisplayName == "SET" && s.Parent?.OperationName == "request");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal("SET", span.GetTagItem("db.operation.name"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("secret") == true);
    }

    private static IHost BuildHost(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:cache", connectionString)]);
        builder.AddRedisClient("cache");
        return builder.Build();
    }
}
