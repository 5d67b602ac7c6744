using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Data;
using Platform.Data.Entities;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Auth;

/// <summary>Requests and tokens per minute, and spend budgets, over the shared Redis with a manual clock.</summary>
public sealed class KeyLimitTests(KeyLimitsFactory api) : IClassFixture<KeyLimitsFactory>
{
    [Fact]
    public async Task TwoInstancesTogetherAdmitExactlyTheKeysRequestsPerMinute()
    {
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "shared", tenant_id = "tenant-two-instances", requests_per_minute = 10 });
        await using var other = api.StartAnotherInstance();
        using var first = KeyCalls.ClientWithKey(api, key);
        using var second = KeyCalls.ClientWithKey(other, key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? first : second).GetAsync("/v1/models")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task RequestsStraddlingAMinuteBoundaryNeverExceedTheLimitWithinAMinute()
    {
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "boundary", tenant_id = "tenant-boundary", requests_per_minute = 5 });
        using var client = KeyCalls.ClientWithKey(api, key);
        var minute = new DateTimeOffset(2026, 12, 3, 8, 30, 0, TimeSpan.Zero);

        // Half a second before a minute starts, then half a second after: a per-minute counter would admit both bursts.
        api.Clock.Set(minute.AddMilliseconds(-500));
        var beforeBoundary = await SendAsync(client, 5);
        api.Clock.Set(minute.AddMilliseconds(500));
        var afterBoundary = await SendAsync(client, 5);
        var refused = await client.GetAsync("/v1/models");
        // A minute after the first burst its requests leave the window, and exactly as many fit again.
        api.Clock.Set(minute.AddSeconds(59).AddMilliseconds(500));
        var aMinuteLater = await SendAsync(client, 6);

        Assert.Equal(5, beforeBoundary);
        Assert.Equal(0, afterBoundary);
        Assert.Equal(TimeSpan.FromSeconds(59), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("0", refused.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal(5, aMinuteLater);
    }

    [Fact]
    public async Task TokensPerMinuteRefuseCallsOnceTheWindowHoldsTheLimitAndAdmitThemWhenItMoves()
    {
        // Checked before a call against the tokens already used: the first call fits, whatever it then uses.
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "tpm", tenant_id = "tenant-tpm", tokens_per_minute = 10 });
        using var client = KeyCalls.ClientWithKey(api, key);

        using var first = await KeyCalls.ChatAsync(client);
        var used = (await first.ReadJsonAsync()).GetProperty("usage").GetProperty("total_tokens").GetInt32();
        using var second = await KeyCalls.ChatAsync(client);
        using var models = await client.GetAsync("/v1/models");
        api.Clock.Advance(TimeSpan.FromSeconds(61));
        using var later = await KeyCalls.ChatAsync(client);

        Assert.True(used >= 10, $"the offline model used {used} tokens; the test needs one call to reach the limit");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("10", first.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("rate_limit_exceeded", await KeyCalls.ErrorCodeAsync(second));
        Assert.Equal("10", second.Headers.GetValues("x-ratelimit-limit-tokens").Single());
        Assert.Equal("0", second.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.Equal(TimeSpan.FromSeconds(60), second.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task StreamedAnswersAndEmbeddingsAreChargedToTheTokenWindow()
    {
        var streamingKey = await KeyCalls.CreateKeyAsync(api, new { name = "tpm-stream", tenant_id = "tenant-tpm-stream", tokens_per_minute = 1 });
        var embeddingsKey = await KeyCalls.CreateKeyAsync(api, new { name = "tpm-embeddings", tenant_id = "tenant-tpm-embeddings", tokens_per_minute = 1 });
        using var streaming = KeyCalls.ClientWithKey(api, streamingKey);
        using var embeddings = KeyCalls.ClientWithKey(api, embeddingsKey);
        var stream = ApiHttp.UserMessage("offline", ApiHttp.Unique("stream me"), ""","stream":true""");

        using var streamed = await streaming.PostChatAsync(stream);
        var (_, done) = await streamed.ReadSseAsync();
        using var afterStream = await KeyCalls.ChatAsync(streaming);
        using var embedded = await embeddings.PostAsync("/v1/embeddings", new StringContent("""{"model":"offline","input":"charge me"}""", System.Text.Encoding.UTF8, "application/json"));
        using var afterEmbedding = await embeddings.PostAsync("/v1/embeddings", new StringContent("""{"model":"offline","input":"charge me again"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.True(done);
        Assert.Equal(HttpStatusCode.TooManyRequests, afterStream.StatusCode);
        Assert.Equal(HttpStatusCode.OK, embedded.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, afterEmbedding.StatusCode);
    }

    [Fact]
    public async Task ABudgetStopsTheKeyOnceSpentAndResetsWhenItsPeriodRollsOver()
    {
        // A dollar per token: one call spends the whole budget.
        using var admin = api.CreateAuthorizedClient();
        var price = await admin.PutAsJsonAsync("/v1/prices", new { provider = "offline", model = "offline", input_per_million = 1_000_000m, output_per_million = 1_000_000m });
        Assert.Equal(HttpStatusCode.OK, price.StatusCode);
        api.Clock.Set(new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero));
        var key = await KeyCalls.CreateKeyAsync(api, new { name = "budget", tenant_id = "tenant-budget", budget_usd = 5m, budget_period = "daily" });
        using var client = KeyCalls.ClientWithKey(api, key);

        using var first = await KeyCalls.ChatAsync(client);
        using var refused = await KeyCalls.ChatAsync(client);
        using var models = await client.GetAsync("/v1/models");
        api.Clock.Set(new DateTimeOffset(2026, 12, 6, 0, 0, 1, TimeSpan.Zero));
        using var nextDay = await KeyCalls.ChatAsync(client);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("insufficient_quota", await KeyCalls.ErrorCodeAsync(refused));
        Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task ABudgetPeriodWithoutSpendInRedisStartsFromTheUsageInPostgreSql()
    {
        api.Clock.Set(new DateTimeOffset(2026, 12, 20, 12, 0, 0, TimeSpan.Zero));
        using var admin = api.CreateClient();
        var (_, created) = await KeyCalls.CreateKeyAsync(admin, new { name = "seeded", tenant_id = "tenant-seeded", budget_usd = 3m, budget_period = "monthly" });
        var id = created.GetProperty("id").GetGuid().ToString();
        // What the Worker wrote for this key earlier in the month, and last month (not this period's).
        using (var scope = api.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            db.UsageRecords.AddRange(
                Spent(id, new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), 2m),
                Spent(id, new DateTimeOffset(2026, 12, 19, 0, 0, 0, TimeSpan.Zero), 1.5m),
                Spent(id, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), 100m));
            await db.SaveChangesAsync();
        }
        using var client = KeyCalls.ClientWithKey(api, created.GetProperty("key").GetString()!);

        using var thisMonth = await KeyCalls.ChatAsync(client);
        api.Clock.Set(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var nextMonth = await KeyCalls.ChatAsync(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, thisMonth.StatusCode);
        Assert.Equal("insufficient_quota", await KeyCalls.ErrorCodeAsync(thisMonth));
        Assert.Contains("3.5 spent", (await thisMonth.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, nextMonth.StatusCode);
    }

    private static UsageRecordEntity Spent(string apiKeyId, DateTimeOffset at, decimal cost) => new()
    {
        Id = Guid.CreateVersion7(at), RequestId = "seed", ApiKeyId = apiKeyId, TenantId = "tenant-seeded", Provider = "offline", Model = "offline",
        Status = "ok", CreatedAt = at, Cost = cost, InputTokens = 1,
    };

    private static async Task<int> SendAsync(HttpClient client, int count)
    {
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("/v1/models");
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        return admitted;
    }
}
