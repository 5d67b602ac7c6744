using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Providers;

namespace Microsoft.Extensions.Hosting;

public static class ChatGatewayExtensions
{
    /// <summary>Providers, their chat pipelines, the model registry and the request context.</summary>
    public static IHostApplicationBuilder AddChatGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChatGatewayOptions>().BindConfiguration(ChatGatewayOptions.SectionName);
        services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.SectionName);

        services.AddProviderHttpClients(builder.Configuration);
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, RequestIdStartupFilter>();
        services.AddSingleton<IChatRequestContextAccessor, ChatRequestContextAccessor>();
        services.AddSingleton<ChatRequestContextFactory>();
        services.AddSingleton<IChatProviderFactory, ChatProviderFactory>();
        services.AddChatPipelines(builder.Configuration);
        services.AddSingleton<ProviderRegistryFactory>();
        services.AddSingleton(sp => sp.GetRequiredService<ProviderRegistryFactory>().Create());
        return builder;
    }
}
