using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Platform.Api.Caching;
using Platform.Api.Pipeline;

namespace Microsoft.Extensions.Hosting;

public static class ResponseCachingExtensions
{
    /// <summary>
    /// The HybridCache (memory + Redis) and the response-cache middleware at
    /// <see cref="ChatPipelineStage.ResponseCache"/>; policy from the <c>ResponseCache</c> section.
    /// </summary>
    public static IHostApplicationBuilder AddChatResponseCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResponseCacheOptions>().BindConfiguration(ResponseCacheOptions.SectionName);
        builder.Services.AddPlatformHybridCache()
            .AddSerializer<ChatResponse, ChatResponseCacheSerializer>();
        builder.Services.AddSingleton<ResponseCachePolicy>();
        builder.Services.AddSingleton<StreamingMissFlights>();
        builder.Services.AddChatMiddleware(ChatPipelineStage.ResponseCache, static (inner, services) => new ResponseCachingChatClient(
            inner,
            services.GetRequiredService<HybridCache>(),
            services.GetRequiredService<IChatRequestContextAccessor>(),
            services.GetRequiredService<ResponseCachePolicy>(),
            services.GetRequiredService<StreamingMissFlights>()));
        return builder;
    }

    /// <summary><c>GET /v1/cache/stats</c> and <c>DELETE /v1/cache</c> (admin).</summary>
    public static WebApplication MapCacheApi(this WebApplication app)
    {
        CacheApi.MapCacheEndpoints(app);
        return app;
    }
}
