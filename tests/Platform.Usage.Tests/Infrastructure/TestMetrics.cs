using Microsoft.Extensions.DependencyInjection;
using Platform.Usage;

namespace Platform.Usage.Tests.Infrastructure;

public static class TestMetrics
{
    public static UsageMetrics Create() =>
        new ServiceCollection().AddMetrics().AddSingleton<UsageMetrics>().BuildServiceProvider().GetRequiredService<UsageMetrics>();
}
