using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Providers;
using Platform.Api.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class ChatGatewayExtensions
{
    /// <summary>Providers, model routing, the models' chat pipelines, the model registry and the request context.</summary>
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
        builder.AddModelRouting();
        services.AddSingleton(sp => new ProviderRegistryFactory(
            sp.GetRequiredService<IOptions<ProvidersOptions>>(),
            sp,
            sp.GetRequiredService<ILogger<ProviderRegistryFactory>>(),
            sp.GetRequiredService<IOptions<RoutingOptions>>(),
            routed => ChatPipeline.Create(sp, routed),
            sp.GetRequiredService<RoutingMetrics>(),
            sp.GetRequiredKeyedService<TimeProvider>(RoutingExtensions.TimeProviderKey),
            sp.GetRequiredService<IChatRequestContextAccessor>()));
        services.AddSingleton(sp => sp.GetRequiredService<ProviderRegistryFactory>().Create());
        return builder;
    }
}
