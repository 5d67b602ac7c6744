using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Platform.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers the shared <see cref="RedisConnection"/> the way Aspire.StackExchange.Redis registers
/// IConnectionMultiplexer: from <c>ConnectionStrings:{name}</c>, with a health check; traces and
/// metrics are emitted under "Platform.Redis".
/// </summary>
public static class RedisHostingExtensions
{
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName, Action<RedisConnectionOptions>? configure = null)
    {
        var options = ReadOptions(builder, connectionName, configure);
        builder.Services.AddSingleton(sp => RedisConnection.Create(options, sp.GetService<ILoggerFactory>()));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "redis",
            sp => new RedisHealthCheck(sp.GetRequiredService<RedisConnection>()),
            HealthStatus.Unhealthy,
            ["ready"]));
        return builder;
    }

    /// <summary>Like <see cref="AddRedisClient"/>, for a second Redis resolved with [FromKeyedServices(connectionName)].</summary>
    public static IHostApplicationBuilder AddKeyedRedisClient(this IHostApplicationBuilder builder, string connectionName, Action<RedisConnectionOptions>? configure = null)
    {
        var options = ReadOptions(builder, connectionName, configure);
        builder.Services.AddKeyedSingleton(connectionName, (sp, _) => RedisConnection.Create(options, sp.GetService<ILoggerFactory>()));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"redis-{connectionName}",
            sp => new RedisHealthCheck(sp.GetRequiredKeyedService<RedisConnection>(connectionName)),
            HealthStatus.Unhealthy,
            ["ready"]));
        return builder;
    }

    private static RedisConnectionOptions ReadOptions(IHostApplicationBuilder builder, string connectionName, Action<RedisConnectionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Redis connection string 'ConnectionStrings:{connectionName}' is missing; set it in configuration or the environment variable 'ConnectionStrings__{connectionName}'.");
        }
        var options = RedisConnectionOptions.Parse(connectionString);
        // A service must start while Redis is down, as with abortConnect=false.
        options.AbortOnConnectFail = false;
        configure?.Invoke(options);
        return options;
    }
}
