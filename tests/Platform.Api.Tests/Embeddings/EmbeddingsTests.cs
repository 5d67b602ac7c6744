using System.Net;
using System.Net.Http.Headers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Platform.Api.Tests.Errors;
using Platform.Api.Tests.Infrastructure;
using Platform.Usage;

namespace Platform.Api.Tests.Embeddings;

/// <summary><c>POST /v1/embeddings</c> through the Api: the offline model, an OpenAI-compatible stub provider, usage and caching.</summary>
public sealed class EmbeddingsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task OfflineEmbeddingsAreDeterministicAndNormalized()
    {
        using var http = api.CreateAuthorizedClient();
        var body = """{"model":"offline","input":["the cat sat on the mat","the cat sat on the mat","Ρόδος ⌘ 😀"]}""";

        var (first, _) = await EmbedAsync(http, body, noStore: true);
        var (second, _) = await EmbedAsync(http, body, noStore: true);

        var vectors = Vectors(first);
        Assert.Equal("list", first.GetProperty("object").GetString());
        Assert.Equal("offline", first.GetProperty("model").GetString());
        Assert.Equal([0, 1, 2], first.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(first.GetProperty("data").EnumerateArray(), d => Assert.Equal("embedding", d.GetProperty("object").GetString()));
        Assert.All(vectors, v => Assert.Equal(256, v.Length));
        Assert.All(vectors, v => Assert.Equal(1f, TensorPrimitives.Norm(v), 1e-5f));
        Assert.Equal(vectors[0], vectors[1]);
        Assert.NotEqual(vectors[0], vectors[2]);
        Assert.Equal(vectors, Vectors(second));
        var usage = first.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task DimensionsAreHonouredAndBase64CarriesTheSameFloats()
    {
        using var http = api.CreateAuthorizedClient();

        var (floats, _) = await EmbedAsync(http, """{"model":"text-embedding-3-small","input":"convert miles","dimensions":64}""");
        var (base64, _) = await EmbedAsync(http, """{"model":"text-embedding-3-small","input":"convert miles","dimensions":64,"encoding_format":"base64"}""");

        var vector = Vectors(floats)[0];
        var decoded = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64.GetProperty("data")[0].GetProperty("embedding").GetString()!)).ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 1e-5f);
        Assert.Equal(vector, decoded);
        Assert.Equal("text-embedding-3-small", floats.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AnOpenAICompatibleProviderGetsTheRequestAsSent()
    {
        using var http = api.CreateAuthorizedClient();
        string[] inputs = ["first " + Guid.NewGuid(), "Ρόδος ⌘ 😀 \"quoted\""];

        var (response, cache) = await EmbedAsync(http, JsonSerializer.Serialize(new { model = ApiFactory.StubEmbeddingModel, input = inputs, dimensions = 8, user = "end-user-7" }));

        var upstream = api.Upstream.EmbeddingRequests.Last(r => FirstInput(r) == inputs[0]);
        Assert.Equal(ApiFactory.StubEmbeddingModel, upstream.Model);
        Assert.Equal(inputs, upstream.Body.GetProperty("input").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(8, upstream.Body.GetProperty("dimensions").GetInt32());
        Assert.Equal("end-user-7", upstream.Body.GetProperty("user").GetString());
        Assert.Equal("Bearer upstream-key", upstream.Authorization);
        Assert.Equal([StubWire.Vector(inputs[0], 0, 8), StubWire.Vector(inputs[1], 1, 8)], Vectors(response));
        Assert.Equal(11, response.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("miss", cache);
    }

    [Fact]
    public async Task EachProviderCallIsRecordedOnceAndACacheHitRecordsTheTokensItSaved()
    {
        using var http = api.CreateAuthorizedClient();
        var body = JsonSerializer.Serialize(new { model = ApiFactory.StubEmbeddingModel, input = "usage " + Guid.NewGuid() });

        using var first = await PostAsync(http, body);
        using var second = await PostAsync(http, body);

        Assert.Equal("miss", first.Headers.GetValues("x-cache").Single());
        Assert.Equal("hit", second.Headers.GetValues("x-cache").Single());
        var miss = Assert.Single(api.Usage.Of(first.Headers.GetValues("x-request-id").Single()));
        var hit = Assert.Single(api.Usage.Of(second.Headers.GetValues("x-request-id").Single()));
        Assert.Equal(("stub", ApiFactory.StubEmbeddingModel, 11, 0, false, UsageRecordStatus.Ok, "admin"),
            (miss.Provider, miss.Model, miss.InputTokens, miss.OutputTokens, miss.CacheHit, miss.Status, miss.TenantId));
        Assert.Equal((true, 0, 11), (hit.CacheHit, hit.InputTokens, hit.TokensSaved));
        Assert.Single(api.Upstream.EmbeddingRequests, r => FirstInput(r) == JsonDocument.Parse(body).RootElement.GetProperty("input").GetString());
    }

    [Fact]
    public async Task TheCacheKeyHasTheTenantAndDimensionsAndCacheControlIsHonoured()
    {
        using var admin = api.CreateAuthorizedClient();
        using var anonymous = api.CreateClient();
        var input = "key parts " + Guid.NewGuid();
        string Body(int dimensions) => JsonSerializer.Serialize(new { model = ApiFactory.StubEmbeddingModel, input, dimensions });

        Assert.Equal("miss", (await EmbedAsync(admin, Body(4))).Cache);
        Assert.Equal("hit", (await EmbedAsync(admin, Body(4))).Cache);
        Assert.Equal("miss", (await EmbedAsync(anonymous, Body(4))).Cache);
        Assert.Equal("miss", (await EmbedAsync(admin, Body(5))).Cache);
        Assert.Equal("bypass", (await EmbedAsync(admin, Body(4), noStore: true)).Cache);
        Assert.Equal("miss", (await EmbedAsync(admin, Body(4), noCache: true)).Cache);
        Assert.Equal(5, api.Upstream.EmbeddingRequests.Count(r => FirstInput(r) == input));
    }

    [Theory]
    [InlineData(429, 429, "rate_limit_exceeded")]
    [InlineData(400, 400, "upstream_rejected_request")]
    [InlineData(500, 502, "upstream_error")]
    [InlineData(401, 502, "upstream_error")]
    public async Task ProviderFailuresAreOpenAIErrorsAndRecorded(int upstreamStatus, int status, string code)
    {
        var marker = "fail " + Guid.NewGuid();
        api.Upstream.RespondToEmbeddingsWith(r => FirstInput(r) == marker ? StubReply.Error(upstreamStatus, "stub says no") : new StubReply());
        using var http = api.CreateAuthorizedClient();

        using var response = await PostAsync(http, JsonSerializer.Serialize(new { model = ApiFactory.StubEmbeddingModel, input = marker }));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        BadInputTests.AssertOpenAIError(text, code);
        Assert.Contains(upstreamStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), text);
        var record = Assert.Single(api.Usage.Of(response.Headers.GetValues("x-request-id").Single()));
        Assert.StartsWith("error:", record.Status);
    }

    [Fact]
    public async Task AnUnknownModelIsNotFound()
    {
        using var http = api.CreateAuthorizedClient();

        using var response = await PostAsync(http, """{"model":"no-such-embedding","input":"x"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        BadInputTests.AssertOpenAIError(await response.Content.ReadAsStringAsync(), "model_not_found", "model");
    }

    [Fact]
    public async Task EmbeddingModelsAreListedWithTheChatModels()
    {
        using var http = api.CreateAuthorizedClient();

        var ids = (await (await http.GetAsync("/v1/models")).ReadJsonAsync()).GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();

        Assert.Contains(ApiFactory.StubEmbeddingModel, ids);
        Assert.Contains("text-embedding-3-small", ids);
        Assert.Single(ids, id => id == "offline");
    }

    internal static async Task<(JsonElement Body, string Cache)> EmbedAsync(HttpClient http, string body, bool noStore = false, bool noCache = false)
    {
        using var response = await PostAsync(http, body, noStore, noCache);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.GetValues("x-cache").Single());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body, bool noStore = false, bool noCache = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/embeddings") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (noStore || noCache)
        {
            request.Headers.CacheControl = new CacheControlHeaderValue { NoStore = noStore, NoCache = noCache };
        }
        return http.SendAsync(request);
    }

    // The SDK sends the input as an array, even for one text.
    private static string? FirstInput(StubRequest request) => request.Body.GetProperty("input")[0].GetString();

    private static float[][] Vectors(JsonElement response) =>
        [.. response.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray())];
}
