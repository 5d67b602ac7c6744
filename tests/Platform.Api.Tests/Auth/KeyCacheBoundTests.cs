using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Auth;

namespace Platform.Api.Tests.Auth;

/// <summary>A key cache of 20 entries.</summary>
public sealed class SmallKeyCacheFactory : ApiKeyFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings => [new("Auth:KeyCacheSize", "20")];
}

public sealed class KeyCacheBoundTests(SmallKeyCacheFactory api) : IClassFixture<SmallKeyCacheFactory>
{
    [Fact]
    public async Task KeysThatDoNotExistCountAgainstTheKeyCacheLimit()
    {
        using var client = api.CreateClient();
        for (var i = 0; i < 100; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"pk-random-{i}-{Guid.NewGuid():N}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var store = api.Services.GetRequiredService<ApiKeyStore>();
        Assert.InRange(store.Count, 1, 20);
    }
}
