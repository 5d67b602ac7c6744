using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Platform.Api.Tests.Auth;
using Platform.Api.Tests.Errors;

namespace Platform.Api.Tests.Embeddings;

public sealed class EmbeddingsAuthTests(RequiredApiKeyFactory api) : IClassFixture<RequiredApiKeyFactory>
{
    [Fact]
    public async Task EmbeddingsNeedAKeyWhenKeysAreRequired()
    {
        using var anonymous = api.CreateClient();
        using var withKey = api.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiKeyTests.CreateKeyAsync(api, "tenant-embeddings"));

        using var refused = await anonymous.PostAsync("/v1/embeddings", Json("""{"model":"offline","input":"hi"}"""));
        using var served = await withKey.PostAsync("/v1/embeddings", Json("""{"model":"offline","input":"hi"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        BadInputTests.AssertOpenAIError(await refused.Content.ReadAsStringAsync(), "invalid_api_key");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("tenant-embeddings", Assert.Single(api.Usage.Of(served.Headers.GetValues("x-request-id").Single())).TenantId);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
