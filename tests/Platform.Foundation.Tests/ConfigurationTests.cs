using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Data;
using Platform.ServiceDefaults.ServiceDiscovery;

namespace Platform.Foundation.Tests;

public sealed class ConfigurationTests
{
    private static ServiceEndpointResolver Resolver(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build());

    [Fact]
    public void ServiceUrlFromAspireEnvironmentVariableResolvesLogicalName()
    {
        var resolver = Resolver(("services:mcphost:http:0", "http://127.0.0.1:5099"));

        Assert.Equal(new Uri("http://127.0.0.1:5099/mcp"), resolver.Resolve(new Uri("http://mcphost/mcp")));
    }

    [Fact]
    public void HttpsPlusHttpPrefersHttpsAndFallsBackToHttp()
    {
        var both = Resolver(("services:mcphost:http:0", "http://127.0.0.1:1"), ("services:mcphost:https:0", "https://127.0.0.1:2"));
        var httpOnly = Resolver(("services:mcphost:http:0", "http://127.0.0.1:1"));

        Assert.Equal(new Uri("https://127.0.0.1:2/mcp"), both.Resolve(new Uri("https+http://mcphost/mcp")));
        Assert.Equal(new Uri("http://127.0.0.1:1/mcp"), httpOnly.Resolve(new Uri("https+http://mcphost/mcp")));
    }

    [Fact]
    public void UnknownLogicalServiceGivesAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolver().Resolve(new Uri("https+http://mcphost/mcp")));
        Assert.Contains("services:mcphost", error.Message);
    }

    [Fact]
    public void RealHostNamesPassThroughUnchanged() =>
        Assert.Equal(new Uri("https://api.openai.com/v1"), Resolver().Resolve(new Uri("https://api.openai.com/v1")));

    [Fact]
    public void DoubleUnderscoreEnvironmentVariablesBindConnectionStringsAndServiceUrls()
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // What Aspire sets, as the environment-variable provider maps it.
                ["ConnectionStrings:platformdb"] = "Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=platformdb",
                ["services:mcphost:http:0"] = "http://127.0.0.1:7000",
            })
            .Build();

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=platformdb", configuration.GetConnectionString(ResourceNames.Database));
        Assert.Equal(new Uri("http://127.0.0.1:7000"), new ServiceEndpointResolver(configuration).ResolveBaseUri(ResourceNames.McpHost, "http"));
    }

    [Fact]
    public void DbContextUsesTheConnectionStringNamedByTheResource()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:platformdb"] = "Host=127.0.0.1;Port=6543;Username=u;Password=p;Database=platformdb";
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database);
        using var provider = builder.Services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var connectionString = scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Database.GetConnectionString();

        Assert.Contains("Port=6543", connectionString);
        Assert.Contains("Database=platformdb", connectionString);
    }

    [Fact]
    public void MissingConnectionStringNamesTheSettingToProvide()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear(); // nothing from the environment, which may name a database

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database));

        Assert.Contains("ConnectionStrings__platformdb", error.Message);
    }
}
