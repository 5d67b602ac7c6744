using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Platform.McpHost.Tests;

public sealed class StartupTests
{
    [Fact]
    public void OutsideDevelopmentMcpHostRefusesToStartWithoutAToken()
    {
        using var factory = new WebApplicationFactory<McpHostAssembly>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?> { ["McpHost:Token"] = "" }));
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("McpHost:Token is required", error.Message);
    }
}
