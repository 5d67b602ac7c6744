using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Providers;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>Puts a test's client between the response cache and every provider of the application's pipelines.</summary>
public static class WrappedProviders
{
    public static IServiceCollection WrapChatProviders(this IServiceCollection services, Func<IChatClient, IServiceProvider, IChatClient> wrap) =>
        services.AddSingleton<IChatProviderFactory>(sp => new Factory(ActivatorUtilities.CreateInstance<ChatProviderFactory>(sp), client => wrap(client, sp)));

    private sealed class Factory(IChatProviderFactory inner, Func<IChatClient, IChatClient> wrap) : IChatProviderFactory
    {
        public IChatClient Create(string providerName) => wrap(inner.Create(providerName));
    }
}
