using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;
using Platform.Data;

namespace Platform.Api.Tests.Auth;

/// <summary>The Api with its schema applied (the Worker owns migrations in production).</summary>
public class ApiKeyFactory : ApiFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var scope = Services.CreateScope();
        await PlatformDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<PlatformDbContext>());
    }
}

/// <summary>Every /v1 call needs a key.</summary>
public sealed class RequiredApiKeyFactory : ApiKeyFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings => [new("Auth:RequireApiKey", "true")];
}
