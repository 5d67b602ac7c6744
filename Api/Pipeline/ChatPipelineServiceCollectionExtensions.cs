using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

public static class ChatPipelineServiceCollectionExtensions
{
    /// <summary>
    /// Adds a middleware to every provider's chat pipeline. The factory receives the client it wraps;
    /// pipelines are built once at start-up, so the factory runs once per provider.
    /// Within one stage, middleware registered first is outermost.
    /// </summary>
    public static IServiceCollection AddChatMiddleware(
        this IServiceCollection services,
        ChatPipelineStage stage,
        Func<IChatClient, IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(new ChatMiddlewareRegistration(stage, factory));
        return services;
    }
}
