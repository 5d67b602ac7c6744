using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Pipeline;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Pipeline;

public sealed class ContextProbeFactory : ApiFactory
{
    public ConcurrentQueue<ChatRequestContext> Seen { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.WrapChatProviders(
            (inner, sp) => new ContextProbeChatClient(inner, sp.GetRequiredService<IChatRequestContextAccessor>(), Seen)));
    }
}

public sealed class RequestContextTests(ContextProbeFactory api) : IClassFixture<ContextProbeFactory>
{
    [Fact]
    public async Task MiddlewareSeesTheRequestContextAndItsCacheStatusBecomesAHeader()
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage(ApiFactory.StubAlias, "context please"));

        var context = api.Seen.Single(c => c.RequestId == RequestId(response));
        Assert.Equal("admin", context.TenantId);
        Assert.Equal("stub", context.ProviderName);
        Assert.Equal(ApiFactory.StubModel, context.ModelId);
        Assert.Equal(ApiFactory.StubAlias, context.RequestedModel);
        Assert.False(context.NoCache);
        Assert.Equal("miss", Assert.Single(response.Headers.GetValues("x-cache")));
    }

    [Fact]
    public async Task AnonymousCallerIsTheAnonymousTenant()
    {
        using var http = api.CreateClient();

        using var response = await http.PostChatAsync(ApiHttp.UserMessage("offline", "who am i"));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("anonymous", api.Seen.Single(c => c.RequestId == RequestId(response)).TenantId);
    }

    [Theory]
    [InlineData("no-cache", true, false)]
    [InlineData("no-store", true, true)]
    [InlineData("max-age=0, no-cache, no-store", true, true)]
    public async Task CacheControlDirectivesReachTheContext(string cacheControl, bool noCache, bool noStore)
    {
        using var http = api.CreateAuthorizedClient();
        using var response = await http.PostChatAsync(ApiHttp.UserMessage("offline", "cache?", ""","stream":true"""),
            r => r.Headers.TryAddWithoutValidation("Cache-Control", cacheControl));
        await response.ReadSseAsync();

        var context = api.Seen.Single(c => c.RequestId == RequestId(response));
        Assert.Equal(noCache, context.NoCache);
        Assert.Equal(noStore, context.NoStore);
        Assert.True(context.Stream);
        Assert.Equal("bypass", Assert.Single(response.Headers.GetValues("x-cache")));
    }

    private static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-request-id").Single();
}
