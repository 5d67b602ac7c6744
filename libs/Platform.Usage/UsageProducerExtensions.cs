using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Usage;
using Platform.Usage.Producer;

namespace Microsoft.Extensions.Hosting;

public static class UsageProducerExtensions
{
    /// <summary>
    /// Registers the usage producer (<see cref="IUsageSink"/>) and its flusher. Needs the shared
    /// <c>IConnectionMultiplexer</c> (Aspire's <c>AddRedisClient</c>). Settings: the <c>Usage</c> configuration section.
    /// </summary>
    public static IHostApplicationBuilder AddUsageProducer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsageProducerOptions>().BindConfiguration(UsageProducerOptions.SectionName);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<UsageMetrics>();
        builder.Services.AddSingleton<UsageProducer>();
        builder.Services.AddSingleton<IUsageSink>(sp => sp.GetRequiredService<UsageProducer>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageProducer>());
        return builder;
    }
}
