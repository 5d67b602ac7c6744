using System.Net;
using System.Text;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Auth;

/// <summary>Scopes, model allow-lists, expiry and what the admin API accepts.</summary>
public sealed class KeyAccessTests(KeyLimitsFactory api) : IClassFixture<KeyLimitsFactory>
{
    [Fact]
    public async Task AKeyWithoutAnEndpointsScopeIsRefusedWith403NamingTheScope()
    {
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "embeddings only", tenant_id = "tenant-scopes", scopes = new[] { "embeddings" } });
        using var client = KeyCalls.ClientWithKey(api, key);

        using var chat = await KeyCalls.ChatAsync(client);
        using var tools = await client.GetAsync("/v1/tools");
        using var usage = await client.GetAsync("/v1/usage");
        using var embeddings = await client.PostAsync("/v1/embeddings", new StringContent("""{"model":"offline","input":"hi"}""", Encoding.UTF8, "application/json"));
        using var models = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.Forbidden, chat.StatusCode);
        var error = (await chat.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(("permission_error", "insufficient_scope", "chat"),
            (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("'chat'", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, tools.StatusCode);
        Assert.Equal("tools", (await tools.ReadJsonAsync()).GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, usage.StatusCode);
        Assert.Equal("usage:read", (await usage.ReadJsonAsync()).GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.OK, embeddings.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    [Fact]
    public async Task ANewKeyWithoutScopesGetsEveryScopeAndTheAdminApiReturnsItsLimits()
    {
        using var admin = api.CreateClient();
        var expiresAt = api.Clock.GetUtcNow().AddDays(30);

        var (status, created) = await KeyCalls.CreateKeyAsync(admin, new
        {
            name = "full", tenant_id = "tenant-defaults", models = new[] { "offline" }, requests_per_minute = 60, tokens_per_minute = 1000,
            budget_usd = 12.5m, expires_at = expiresAt,
        });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(["chat", "embeddings", "tools", "usage:read"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["offline"], created.GetProperty("models").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1000, created.GetProperty("tokens_per_minute").GetInt32());
        Assert.Equal(12.5m, created.GetProperty("budget_usd").GetDecimal());
        Assert.Equal("monthly", created.GetProperty("budget_period").GetString());
        Assert.Equal(expiresAt, created.GetProperty("expires_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task AKeyMayUseOnlyTheModelsItsAllowListNamesOrTheirAliases()
    {
        // gpt-4o is an alias of offline: the allow-list limits which model runs, not what the caller calls it.
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "offline only", tenant_id = "tenant-models", models = new[] { "offline" } });
        using var client = KeyCalls.ClientWithKey(api, key);

        using var allowed = await KeyCalls.ChatAsync(client, "offline");
        using var alias = await KeyCalls.ChatAsync(client, "gpt-4o");
        using var other = await KeyCalls.ChatAsync(client, ApiFactory.StubModel);
        using var otherEmbedding = await client.PostAsync("/v1/embeddings",
            new StringContent($$"""{"model":"{{ApiFactory.StubEmbeddingModel}}","input":"hi"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var error = (await other.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(("permission_error", "model_not_allowed", "model"),
            (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, otherEmbedding.StatusCode);
        Assert.Empty(api.Upstream.Requests);
        Assert.Empty(api.Upstream.EmbeddingRequests);
    }

    [Fact]
    public async Task AKeyPastItsExpiryIsRefusedEvenWhileItIsCached()
    {
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "short-lived", tenant_id = "tenant-expiry", expires_at = api.Clock.GetUtcNow().AddHours(1) });
        using var client = KeyCalls.ClientWithKey(api, key);
        using var before = await client.GetAsync("/v1/models");

        api.Clock.Advance(TimeSpan.FromHours(2));
        using var after = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("expired_api_key", await KeyCalls.ErrorCodeAsync(after));
    }

    public static TheoryData<string, string, string> InvalidKeys => new()
    {
        { """{"name":"n","tenant_id":"has space"}""", "tenant_id", "invalid_value" },
        { """{"name":"n","tenant_id":"t\u0000"}""", "tenant_id", "invalid_value" },
        { """{"name":"n","tenant_id":"tenant/with/slashes"}""", "tenant_id", "invalid_value" },
        { $$"""{"name":"n","tenant_id":"{{new string('t', 65)}}"}""", "tenant_id", "invalid_value" },
        { """{"name":"a\u001bb","tenant_id":"t"}""", "name", "invalid_value" },
        { $$"""{"name":"{{new string('n', 101)}}","tenant_id":"t"}""", "name", "invalid_value" },
        { """{"name":"n","tenant_id":"t","scopes":["chat","admin"]}""", "scopes[1]", "invalid_scope" },
        { """{"name":"n","tenant_id":"t","scopes":["chats"]}""", "scopes[0]", "invalid_scope" },
        { """{"name":"n","tenant_id":"t","scopes":[]}""", "scopes", "invalid_scope" },
        { """{"name":"n","tenant_id":"t","models":["no-such-model"]}""", "models[0]", "model_not_found" },
        { """{"name":"n","tenant_id":"t","budget_usd":0}""", "budget_usd", "invalid_value" },
        { """{"name":"n","tenant_id":"t","budget_usd":5,"budget_period":"weekly"}""", "budget_period", "invalid_value" },
        { """{"name":"n","tenant_id":"t","budget_period":"daily"}""", "budget_period", "invalid_value" },
        { """{"name":"n","tenant_id":"t","tokens_per_minute":0}""", "tokens_per_minute", "invalid_value" },
        { """{"name":"n","tenant_id":"t","expires_at":"2020-01-01T00:00:00Z"}""", "expires_at", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task AnInvalidKeyIsA400NamingTheField(string body, string param, string code)
    {
        using var admin = api.CreateAuthorizedClient();

        using var response = await admin.PostAsync("/v1/admin/keys", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal((param, code), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }
}
