using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;
using Platform.Data;

namespace Platform.Api.Tests.Auth;

public sealed class ApiKeyTests(ApiKeyFactory factory) : IClassFixture<ApiKeyFactory>
{
    [Fact]
    public async Task AdminCreatesAKeyThatThenAuthenticatesCalls()
    {
        var key = await CreateKeyAsync(factory, "tenant-a");

        var response = await Send(HttpMethod.Get, "/v1/models", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeysAreStoredOnlyAsHashes()
    {
        var key = await CreateKeyAsync(factory, "tenant-hash");

        using var scope = factory.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().ApiKeys.SingleAsync(k => k.TenantId == "tenant-hash");

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), stored.KeyHash);
        Assert.True(key.Length > stored.Prefix.Length);
    }

    [Fact]
    public async Task UnknownKeyIsRejectedWithAnOpenAiError()
    {
        var response = await Send(HttpMethod.Get, "/v1/models", "pk-not-a-real-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_api_key", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RevokedKeyStopsWorkingAtOnce()
    {
        var (id, key) = await CreateKeyWithIdAsync(factory, "tenant-revoke");
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/models", key)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, $"/v1/admin/keys/{id}", ApiFactory.AdminKey)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/v1/models", key)).StatusCode);
    }

    [Fact]
    public async Task AdminOperationsNeedTheAdminKey()
    {
        var tenantKey = await CreateKeyAsync(factory, "tenant-b");

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/v1/admin/keys", tenantKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/v1/admin/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/admin/keys", ApiFactory.AdminKey)).StatusCode);
    }

    [Fact]
    public async Task CreatingAKeyWithoutATenantIsABadRequest()
    {
        var response = await Send(HttpMethod.Post, "/v1/admin/keys", ApiFactory.AdminKey, new { name = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("tenant_id", error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task RequestsPastTheKeysPerMinuteLimitGet429WithRetryAfter()
    {
        var key = await CreateKeyAsync(factory, "tenant-limited", requestsPerMinute: 3);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await Send(HttpMethod.Get, "/v1/models", key);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(last!.Headers.RetryAfter);
        var error = await last.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limit_exceeded", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnonymousCallsAreAllowedWhenKeysAreOptional() =>
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/models", null)).StatusCode);

    internal static async Task<string> CreateKeyAsync(ApiFactory api, string tenant, int? requestsPerMinute = null) =>
        (await CreateKeyWithIdAsync(api, tenant, requestsPerMinute)).Key;

    private static async Task<(Guid Id, string Key)> CreateKeyWithIdAsync(ApiFactory api, string tenant, int? requestsPerMinute = null)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys")
        {
            Content = JsonContent.Create(new { name = "test", tenant_id = tenant, requests_per_minute = requestsPerMinute }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.AdminKey);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? key, object? body = null)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await client.SendAsync(request);
    }
}

public sealed class RequiredApiKeyTests(RequiredApiKeyFactory factory) : IClassFixture<RequiredApiKeyFactory>
{
    [Fact]
    public async Task CallsWithoutAKeyAreRejectedWhenKeysAreRequired()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task HealthProbesNeedNoKey()
    {
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task ATenantKeyIsEnoughWhenKeysAreRequired()
    {
        var key = await ApiKeyTests.CreateKeyAsync(factory, "tenant-required");
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
    }
}
