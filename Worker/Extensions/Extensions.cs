using Platform.Data;
using Platform.Worker.Migrations;
using StackExchange.Redis;

namespace Platform.Worker.Hosting;

/// <summary>Registers the Worker's parts; Program.cs calls it once.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database, configureDbContextOptions: o => PlatformDatabase.ConfigureOptions(o));

        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
        builder.Services.AddHealthChecks().AddCheck<MigrationHealthCheck>("migrations");

        // Aspire's client: IConnectionMultiplexer, tracing and a health check (Unhealthy without Redis: the
        // Worker has nothing to do then). It starts while Redis is down and reconnects by itself.
        builder.AddRedisClient(ResourceNames.Redis, configureOptions: static options =>
        {
            options.AbortOnConnectFail = false;
            // Commands fail at once while disconnected instead of queueing until they time out.
            options.BacklogPolicy = BacklogPolicy.FailFast;
        });
        builder.AddUsageWriter();

        return builder;
    }
}
