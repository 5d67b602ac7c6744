using Microsoft.Extensions.Caching.Hybrid;
using Platform.Api.Caching;
using Platform.Api.Pipeline;

namespace Microsoft.Extensions.AI;

public static class ResponseCachingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ResponseCachingChatClient"/> over the registered <see cref="HybridCache"/>, with the
    /// policy of the <c>ResponseCache</c> section. Place it right above the provider, so every model call of
    /// a tool loop is looked up on its own.
    /// </summary>
    public static ChatClientBuilder UseResponseCache(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static (inner, services) => new ResponseCachingChatClient(
            inner,
            services.GetRequiredService<HybridCache>(),
            services.GetRequiredService<IChatRequestContextAccessor>(),
            services.GetRequiredService<ResponseCachePolicy>(),
            services.GetRequiredService<StreamingMissFlights>()));
    }
}
