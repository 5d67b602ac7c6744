using Microsoft.Extensions.AI;
using Platform.Api.Providers;

namespace Microsoft.Extensions.DependencyInjection;

public static class ChatPipelineServiceCollectionExtensions
{
    /// <summary>
    /// The client of each provider named under <c>Providers</c>, keyed by the provider's name and created once
    /// (<see cref="IChatProviderFactory"/>): every deployment on that provider calls it. The pipelines around
    /// them are the models' (<see cref="ProviderRegistryFactory"/>).
    /// </summary>
    public static IServiceCollection AddChatPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var provider in configuration.GetSection(ProvidersOptions.SectionName).GetChildren())
        {
            services.AddKeyedSingleton<IChatClient>(provider.Key, static (sp, key) => sp.GetRequiredService<IChatProviderFactory>().Create((string)key!));
        }
        return services;
    }
}
