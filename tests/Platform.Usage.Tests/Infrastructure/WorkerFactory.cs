using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Worker.Usage;

namespace Platform.Usage.Tests.Infrastructure;

/// <summary>The real Worker (its Program and registrations) in-process, on the given Redis, database and stream.</summary>
public sealed class WorkerFactory(string redis, string database, string stream, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<WorkerAssembly>
{
    public UsageConsumer Consumer => Services.GetRequiredService<UsageConsumer>();

    /// <summary>Builds and starts the host (WebApplicationFactory starts lazily).</summary>
    public WorkerFactory Start()
    {
        _ = Services;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redis);
        builder.UseSetting("ConnectionStrings:platformdb", database);
        builder.UseSetting("Usage:StreamName", stream);
        builder.UseSetting("Usage:DeadLetterStreamName", stream + ":dead");
        builder.UseSetting("Usage:PollInterval", "00:00:00.050");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
