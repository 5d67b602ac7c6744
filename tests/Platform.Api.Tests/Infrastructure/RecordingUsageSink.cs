using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Platform.Usage;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>
/// Sees every usage record the Api hands to its sink and passes it on unchanged (to the real producer
/// and the Redis stream), so tests can check what was recorded without reading the stream.
/// </summary>
public sealed class RecordingUsageSink(IUsageSink inner) : IUsageSink
{
    public ConcurrentQueue<UsageRecord> Records { get; } = new();

    public void Record(UsageRecord record)
    {
        Records.Enqueue(record);
        inner.Record(record);
    }

    public IReadOnlyList<UsageRecord> Of(string requestId) => Records.Where(r => r.RequestId == requestId).ToList();

    /// <summary>Wraps the registered <see cref="IUsageSink"/>, whatever implements it.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IUsageSink));
        services.AddSingleton(sp => new RecordingUsageSink(original switch
        {
            { ImplementationInstance: IUsageSink instance } => instance,
            { ImplementationFactory: { } factory } => (IUsageSink)factory(sp),
            _ => (IUsageSink)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
        }));
        services.AddSingleton<IUsageSink>(sp => sp.GetRequiredService<RecordingUsageSink>());
    }
}
