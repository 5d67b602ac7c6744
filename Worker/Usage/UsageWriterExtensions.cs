using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Usage;
using Platform.Worker.Usage;

namespace Microsoft.Extensions.Hosting;

public static class UsageWriterExtensions
{
    /// <summary>
    /// Registers the usage writer (consumer group on the usage stream → PostgreSQL). Needs the
    /// shared IConnectionMultiplexer (AddRedisClient), the Worker's DatabaseMigrator and <c>ConnectionStrings:platformdb</c>.
    /// </summary>
    public static IHostApplicationBuilder AddUsageWriter(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ResourceNames.Database)
            ?? throw new InvalidOperationException(
                $"ConnectionString is missing. It should be provided in 'ConnectionStrings:{ResourceNames.Database}' " +
                $"(environment variable ConnectionStrings__{ResourceNames.Database}).");

        builder.Services.AddOptions<UsageWriterOptions>().BindConfiguration(UsageWriterOptions.SectionName);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<UsageMetrics>();
        builder.Services.AddSingleton(_ => UsageDataSource.Create(connectionString));
        builder.Services.AddSingleton<PriceStore>();
        builder.Services.AddSingleton<UsageBatchWriter>();
        builder.Services.AddSingleton<UsageBatchProcessor>();
        builder.Services.AddSingleton<UsageStreamMonitor>();
        builder.Services.AddSingleton<UsageConsumer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageConsumer>());
        return builder;
    }
}
