using Platform.Api.Usage;

namespace Microsoft.Extensions.Hosting;

public static class UsageCaptureExtensions
{
    /// <summary>
    /// Usage capture: the producer (queue, Redis stream, journal) and the usage queries; the chat pipeline
    /// adds its stage with <c>UseUsageCapture</c>. Needs the shared IConnectionMultiplexer (AddRedisClient).
    /// </summary>
    public static IHostApplicationBuilder AddUsageCapture(this IHostApplicationBuilder builder)
    {
        builder.AddUsageProducer();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<UsageQueries>();
        builder.Services.AddSingleton<UsageTokenCounter>();
        return builder;
    }
}
