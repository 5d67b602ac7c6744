using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Usage.Tests.Infrastructure;
using Platform.Worker.Usage;

namespace Platform.Usage.Tests;

public sealed class UsageQueryTests(UsageApiFactory api) : IClassFixture<UsageApiFactory>, IAsyncLifetime
{
    private static readonly DateTimeOffset Day1 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);
    private const string Range = "from=2026-05-01T00:00:00Z&to=2026-05-03T00:00:00Z";

    public Task InitializeAsync() => api.SeedOnceAsync(SeedAsync);

    private async Task SeedAsync()
    {
        await using var database = UsageDataSource.Create(api.Database);
        var writer = new UsageBatchWriter(database);
        await writer.WriteAsync([
            new(SampleRecords.Create("model-a", at: Day1, input: 100, output: 10, tenant: "anonymous", requestId: "req-1") with { Deployment = "eu" }, 0.5m),
            new(SampleRecords.Create("model-a", at: Day1.AddMinutes(1), input: 200, output: 20, tenant: "anonymous", requestId: "req-1") with { Deployment = "us" }, 1.0m),
            new(SampleRecords.Create("model-b", at: Day2, input: 300, output: 30, tenant: "anonymous", cacheHit: true, apiKey: "key-1"), 0m),
            new(SampleRecords.Create("model-b", at: Day2, input: 5, output: 5, tenant: "anonymous"), null),
            new(SampleRecords.Create("model-a", at: Day1.AddDays(-10), input: 1_000, output: 1_000, tenant: "anonymous"), 9m), // before the range
            new(SampleRecords.Create("model-a", at: Day1, input: 7, output: 7, tenant: "other-tenant"), 2m),
        ], CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SummaryByModelTotalsTheCallersRecordsInTheRange()
    {
        var data = await GetDataAsync(api.CreateClient(), $"/v1/usage?{Range}&groupBy=model");

        Assert.Equal(["model-a", "model-b"], data.Select(g => g.GetProperty("key").GetString()));
        var a = data[0];
        Assert.Equal(2, a.GetProperty("requests").GetInt64());
        Assert.Equal(300, a.GetProperty("input_tokens").GetInt64());
        Assert.Equal(30, a.GetProperty("output_tokens").GetInt64());
        Assert.Equal(1.5m, a.GetProperty("cost").GetDecimal());
        var b = data[1];
        Assert.Equal(1, b.GetProperty("cache_hits").GetInt64());
        Assert.Equal(330, b.GetProperty("tokens_saved").GetInt64());
        Assert.Equal(1, b.GetProperty("unpriced").GetInt64());
    }

    [Fact]
    public async Task SummaryByDayGroupsOnUtcDates()
    {
        var data = await GetDataAsync(api.CreateClient(), $"/v1/usage?{Range}&groupBy=day");

        Assert.Equal(["2026-05-01", "2026-05-02"], data.Select(g => g.GetProperty("key").GetString()));
        Assert.Equal([2L, 2L], data.Select(g => g.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task AdminSeesEveryTenantGroupedByKey()
    {
        var data = await GetDataAsync(api.CreateAdminClient(), $"/v1/usage?{Range}&groupBy=key");

        Assert.Equal(["anonymous", "key-1", "other-tenant"], data.Select(g => g.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task SummaryByDeploymentNamesCacheHitsAndUnroutedRecordsApart()
    {
        var data = await GetDataAsync(api.CreateClient(), $"/v1/usage?{Range}&groupBy=deployment");

        Assert.Equal(
            new Dictionary<string, long> { ["eu"] = 1, ["us"] = 1, ["(cache)"] = 1, ["(none)"] = 1 },
            data.ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task SeriesTotalsEachGroupPerTimeBucket()
    {
        using var response = await api.CreateClient().GetAsync($"/v1/usage/series?{Range}&groupBy=model&bucket=day");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("day", body.GetProperty("bucket").GetString());
        var points = body.GetProperty("data").EnumerateArray()
            .Select(p => (p.GetProperty("bucket").GetDateTimeOffset(), p.GetProperty("key").GetString(), p.GetProperty("requests").GetInt64(), p.GetProperty("cost").GetDecimal()))
            .ToArray();
        Assert.Equal([(Day1.Date, "model-a", 2L, 1.5m), (Day2.Date, "model-b", 2L, 0m)],
            points.Select(p => (p.Item1.UtcDateTime, p.Item2, p.Item3, p.Item4)).ToArray());
    }

    [Fact]
    public async Task ASeriesOfTooManyBucketsIsA400NamingTheBucket()
    {
        using var response = await api.CreateClient().GetAsync("/v1/usage/series?from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&bucket=minute");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bucket", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task RangeExcludesRecordsOutsideIt()
    {
        var data = await GetDataAsync(api.CreateClient(), "/v1/usage?from=2026-04-01T00:00:00Z&to=2026-04-30T00:00:00Z");

        Assert.Equal(1_000, Assert.Single(data).GetProperty("input_tokens").GetInt64());
    }

    [Theory]
    [InlineData("groupBy=hour", "groupBy")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("from=2026-05-03T00:00:00Z&to=2026-05-01T00:00:00Z", "from")]
    public async Task InvalidQueryIsA400WithAnOpenAIError(string query, string param)
    {
        using var response = await api.CreateClient().GetAsync($"/v1/usage?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(param, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task RequestRecordsAreListedInOrder()
    {
        var body = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/usage/requests/req-1");

        var records = body.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal([100, 200], records.Select(r => r.GetProperty("input_tokens").GetInt32()));
    }

    [Fact]
    public async Task AdminAddsAPriceAndOthersCannot()
    {
        var price = new { provider = "openai", model = "price-test", input_per_million = 1.25m, output_per_million = 5m, effective_from = "2026-01-01T00:00:00Z" };

        using var anonymous = await api.CreateClient().PutAsJsonAsync("/v1/prices", price);
        using var admin = await api.CreateAdminClient().PutAsJsonAsync("/v1/prices", price);
        using var invalid = await api.CreateAdminClient().PutAsJsonAsync("/v1/prices", price with { input_per_million = -1m });

        Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, anonymous.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await using var database = UsageDataSource.Create(api.Database);
        var table = await new PriceStore(database).LoadAsync(CancellationToken.None);
        Assert.Equal(1.25m, table.Find("openai", "price-test", DateTimeOffset.UtcNow)!.InputPerMillion);
    }

    private static async Task<JsonElement[]> GetDataAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").EnumerateArray().ToArray();
    }
}
