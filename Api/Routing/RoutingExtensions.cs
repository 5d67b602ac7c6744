using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Api.Routing;

namespace Microsoft.Extensions.Hosting;

public static class RoutingExtensions
{
    /// <summary>The key of the clock routing reads cool-downs from; tests replace it alone.</summary>
    public const string TimeProviderKey = "routing";

    /// <summary>Routing options (checked at start-up), its metrics and its clock.</summary>
    public static IHostApplicationBuilder AddModelRouting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .Validate(o => o.FailuresBeforeCoolDown >= 1, $"{RoutingOptions.SectionName}:FailuresBeforeCoolDown must be at least 1.")
            .Validate(o => o.CoolDown > TimeSpan.Zero, $"{RoutingOptions.SectionName}:CoolDown must be positive.")
            .Validate(o => o.MaxCoolDown >= o.CoolDown, $"{RoutingOptions.SectionName}:MaxCoolDown must be at least CoolDown.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<RoutingMetrics>();
        builder.Services.TryAddKeyedSingleton(TimeProviderKey, TimeProvider.System);
        return builder;
    }
}
