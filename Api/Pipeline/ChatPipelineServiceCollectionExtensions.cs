using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Api.Providers;

namespace Microsoft.Extensions.DependencyInjection;

public static class ChatPipelineServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="IChatClient"/> per provider named under <c>Providers</c>, keyed by the provider's
    /// name and built once (<see cref="ChatPipeline.Create"/>), the first time a request needs it.
    /// </summary>
    public static IServiceCollection AddChatPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var provider in configuration.GetSection(ProvidersOptions.SectionName).GetChildren())
        {
            services.AddKeyedSingleton<IChatClient>(provider.Key, static (sp, key) => ChatPipeline.Create(sp, (string)key!));
        }
        return services;
    }
}
