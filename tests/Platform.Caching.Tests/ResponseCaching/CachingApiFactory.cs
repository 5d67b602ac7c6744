using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.AI;
using Platform.Api.Providers;
using Platform.Data;
using Platform.Testing;

namespace Platform.Caching.Tests.ResponseCaching;

/// <summary>
/// One Api instance on the offline provider, with a <see cref="CountingUpstream"/> below the response
/// cache. Instances built with the same <see cref="CachingApiSettings"/> share Redis and Postgres, so
/// they behave like replicas of one deployment.
/// </summary>
public sealed class CachingApiFactory(CachingApiSettings settings) : WebApplicationFactory<ApiAssembly>
{
    public const string AdminKey = "test-admin-key";

    private readonly string _journal = Path.Combine(Path.GetTempPath(), "platform-cache-tests", Guid.NewGuid().ToString("N"));

    public CountingUpstream Upstream { get; } = new();

    public static async Task<CachingApiSettings> CreateSettingsAsync(string? redisConnectionString = null)
    {
        var database = await SharedServers.CreateDatabaseAsync();
        await using (var db = new PlatformDbContext(PlatformDatabase.CreateOptions(database)))
        {
            await PlatformDatabase.MigrateAsync(db);
        }
        return new CachingApiSettings(
            redisConnectionString ?? await SharedServers.GetRedisConnectionStringAsync(),
            database,
            SharedServers.UniquePrefix("response-cache"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:redis", settings.RedisConnectionString);
        builder.UseSetting("ConnectionStrings:platformdb", settings.DatabaseConnectionString);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("HybridCache:KeyPrefix", settings.KeyPrefix);
        builder.UseSetting("HybridCache:InvalidationChannel", settings.KeyPrefix + "invalidate");
        builder.UseSetting("Usage:JournalDirectory", _journal);
        builder.UseSetting("ResponseCache:OnlyDeterministic", settings.OnlyDeterministic ? "true" : "false");
        // The tests' prompts leave the temperature unset and expect them cached.
        builder.UseSetting("ResponseCache:UnsetTemperatureIsDeterministic", "true");
        builder.ConfigureTestServices(services =>
        {
            // Right below the response cache: wraps the provider of every pipeline.
            services.AddSingleton<IChatProviderFactory>(sp => new CountingProviders(ActivatorUtilities.CreateInstance<ChatProviderFactory>(sp), Upstream));
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_journal))
        {
            Directory.Delete(_journal, recursive: true);
        }
    }

    public async Task<ClusteredHybridCache> GetStartedCacheAsync()
    {
        var cache = Services.GetRequiredService<ClusteredHybridCache>();
        await cache.Initialization;
        return cache;
    }
}

internal sealed class CountingProviders(IChatProviderFactory inner, CountingUpstream upstream) : IChatProviderFactory
{
    public IChatClient Create(string providerName) => upstream.Wrap(inner.Create(providerName));
}

public sealed record CachingApiSettings(string RedisConnectionString, string DatabaseConnectionString, string KeyPrefix)
{
    public bool OnlyDeterministic { get; init; } = true;
}
