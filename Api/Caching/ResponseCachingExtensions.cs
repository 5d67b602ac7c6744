using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Platform.Api.Caching;

namespace Microsoft.Extensions.Hosting;

public static class ResponseCachingExtensions
{
    /// <summary>
    /// The HybridCache (memory + Redis) and what the response-cache stage needs; the chat pipeline adds the
    /// stage with <c>UseResponseCache</c>. Policy from the <c>ResponseCache</c> section.
    /// </summary>
    public static IHostApplicationBuilder AddChatResponseCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResponseCacheOptions>().BindConfiguration(ResponseCacheOptions.SectionName);
        builder.Services.AddPlatformHybridCache()
            .AddSerializer<ChatResponse, ChatResponseCacheSerializer>();
        builder.Services.AddSingleton<ResponseCachePolicy>();
        builder.Services.AddSingleton<StreamingMissFlights>();
        return builder;
    }

    /// <summary><c>GET /v1/cache/stats</c> and <c>DELETE /v1/cache</c> (admin).</summary>
    public static WebApplication MapCacheApi(this WebApplication app)
    {
        CacheApi.MapCacheEndpoints(app);
        return app;
    }
}
