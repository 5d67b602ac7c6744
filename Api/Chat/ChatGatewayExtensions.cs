using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Pipeline.Middleware;
using Platform.Api.Providers;

namespace Microsoft.Extensions.Hosting;

public static class ChatGatewayExtensions
{
    /// <summary>Providers, the pipeline builder, the request context and the telemetry middleware.</summary>
    public static IHostApplicationBuilder AddChatGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChatGatewayOptions>().BindConfiguration(ChatGatewayOptions.SectionName);
        services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.SectionName);

        services.AddProviderHttpClients(builder.Configuration);
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, RequestIdStartupFilter>();
        services.AddSingleton<IChatRequestContextAccessor, ChatRequestContextAccessor>();
        services.AddSingleton<ChatRequestContextFactory>();
        services.AddSingleton<ChatPipelineBuilder>();
        services.AddSingleton<ProviderRegistryFactory>();
        services.AddSingleton(sp => sp.GetRequiredService<ProviderRegistryFactory>().Create());

        var captureContent = bool.TryParse(builder.Configuration[GenAIInstrumentation.CaptureContentVariable], out var capture) && capture;
        services.AddChatMiddleware(ChatPipelineStage.Telemetry, (inner, _) => new TelemetryChatClient(inner, captureContent));
        return builder;
    }
}
