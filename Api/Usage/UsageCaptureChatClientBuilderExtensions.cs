using Platform.Api.Pipeline;
using Platform.Api.Usage;
using Platform.Usage;

namespace Microsoft.Extensions.AI;

public static class UsageCaptureChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="UsageCaptureChatClient"/>: one usage record per call that reaches it, handed to the
    /// registered <see cref="IUsageSink"/>. Place it below the tool loop (a record per model round) and
    /// above the response cache (cache hits are recorded too).
    /// </summary>
    public static ChatClientBuilder UseUsageCapture(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static (inner, services) => new UsageCaptureChatClient(
            inner,
            services.GetRequiredService<IUsageSink>(),
            services.GetRequiredService<IChatRequestContextAccessor>(),
            services.GetRequiredService<IHttpContextAccessor>(),
            services.GetRequiredService<UsageTokenCounter>()));
    }
}
