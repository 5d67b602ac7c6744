using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Errors;

/// <summary>
/// The Api in the Development environment, where ASP.NET Core would show developers a stack trace,
/// with a fault planted behind every endpoint: <c>/v1/test/fault</c> throws as a bug would.
/// </summary>
public sealed class DevelopmentApiFactory : ApiFactory
{
    public const string FaultPath = "/v1/test/fault";
    public const string Secret = "connection string Password=hunter2";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, FaultStartupFilter>());
    }

    /// <summary>Runs after the endpoints (where no endpoint matched), so it sits inside the Api's own middleware.</summary>
    private sealed class FaultStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext http, RequestDelegate rest) => http.Request.Path == FaultPath
                ? throw new InvalidOperationException($"Bug with a secret in its message: {Secret}")
                : rest(http));
        };
    }
}

public sealed class DevelopmentErrorTests(DevelopmentApiFactory api) : IClassFixture<DevelopmentApiFactory>
{
    [Fact]
    public async Task AnUnexpectedExceptionIsA500OpenAIErrorWithTheRequestIdAndNothingElse()
    {
        using var client = api.CreateAuthorizedClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html"); // what makes the developer page render HTML

        using var response = await client.GetAsync(DevelopmentApiFactory.FaultPath);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        BadInputTests.AssertOpenAIError(text, "internal_error");
        Assert.DoesNotContain("hunter2", text);
        Assert.Contains(response.Headers.GetValues("x-request-id").Single(), text);
    }

    [Theory]
    [InlineData("POST", "/v1/admin/keys", "{\"name\":", 400, "invalid_json")]
    [InlineData("PUT", "/v1/prices", "[1,", 400, "invalid_json")]
    [InlineData("GET", "/v1/tools?limit=ten", null, 400, "invalid_request")]
    [InlineData("GET", "/v1/nothing-here", null, 404, "unknown_url")]
    [InlineData("POST", "/v1/chat/completions", "{\"model\":\"offline\",\"messages\":[null]}", 400, "invalid_type")]
    public async Task BadInputInDevelopmentIsTheSameOpenAIErrorAsElsewhere(string method, string path, string? body, int status, string code)
    {
        using var client = api.CreateAuthorizedClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        BadInputTests.AssertOpenAIError(text, code);
    }
}
