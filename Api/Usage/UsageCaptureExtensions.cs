using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Api.Usage;
using Platform.Usage;

namespace Microsoft.Extensions.Hosting;

public static class UsageCaptureExtensions
{
    /// <summary>
    /// Usage capture: the producer (queue, Redis stream, journal), the chat middleware at
    /// <see cref="ChatPipelineStage.UsageCapture"/> and the usage queries. Needs the shared IConnectionMultiplexer (AddRedisClient).
    /// </summary>
    public static IHostApplicationBuilder AddUsageCapture(this IHostApplicationBuilder builder)
    {
        builder.AddUsageProducer();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<UsageQueries>();
        builder.Services.AddChatMiddleware(ChatPipelineStage.UsageCapture, (inner, sp) => new UsageCaptureChatClient(
            inner,
            sp.GetRequiredService<IUsageSink>(),
            sp.GetRequiredService<IChatRequestContextAccessor>(),
            sp.GetRequiredService<IHttpContextAccessor>()));
        return builder;
    }
}
