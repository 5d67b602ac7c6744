using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Platform.Api.Tests.Errors;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Auth;

/// <summary>The Api outside Development with Auth:RequireApiKey left to its own configuration.</summary>
public sealed class DeploymentDefaultsFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings => [new("Auth:RequireApiKey", null)];
}

/// <summary>The Api in Development with Auth:RequireApiKey left to its own configuration.</summary>
public sealed class DevelopmentDefaultsFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings => [new("Auth:RequireApiKey", null)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

public sealed class DeploymentDefaultsTests(DeploymentDefaultsFactory api) : IClassFixture<DeploymentDefaultsFactory>
{
    [Fact]
    public async Task OutsideDevelopmentAnAnonymousChatCallIsRefusedWithHowToGetAKey()
    {
        using var client = api.CreateClient();

        using var response = await client.PostChatAsync(ApiHttp.UserMessage("offline", "hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        BadInputTests.AssertOpenAIError(text, "invalid_api_key");
        Assert.Contains("POST /v1/admin/keys", Message(text));
    }

    [Fact]
    public async Task TheOpenAISdkWithAMadeUpKeyHearsWhereKeysComeFrom()
    {
        var chat = api.CreateOpenAIClient("anything").GetChatClient("offline");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync("hello"));

        Assert.Equal(401, error.Status);
        Assert.Contains("POST /v1/admin/keys", error.Message);
    }

    [Fact]
    public async Task TheAdminKeyStillWorksOutsideDevelopment()
    {
        using var client = api.CreateAuthorizedClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
    }

    internal static string Message(string text) =>
        JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString()!;
}

public sealed class DevelopmentDefaultsTests(DevelopmentDefaultsFactory api) : IClassFixture<DevelopmentDefaultsFactory>
{
    [Fact]
    public async Task InDevelopmentAnAnonymousChatCallIsServed()
    {
        using var client = api.CreateClient();

        using var response = await client.PostChatAsync(ApiHttp.UserMessage("offline", "hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task InDevelopmentAnUnknownKeyIsRefusedWithBothWaysOut()
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await client.PostChatAsync(ApiHttp.UserMessage("offline", "hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var message = DeploymentDefaultsTests.Message(await response.Content.ReadAsStringAsync());
        Assert.Contains("send no Authorization header", message);
        Assert.Contains("POST /v1/admin/keys", message);
    }
}
