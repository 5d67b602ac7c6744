using Platform.Data;
using Platform.Worker.Migrations;

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

        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddUsageWriter();

        return builder;
    }
}
