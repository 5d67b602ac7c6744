using System.Net.Http.Json;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

/// <summary>Chat requests through the real pipeline (offline model) and the records they put on the usage stream.</summary>
public sealed class UsageCaptureTests(UsageApiFactory api) : IClassFixture<UsageApiFactory>
{
    [Fact]
    public async Task ChatCompletionYieldsOneRecordWithItsRequestIdAndTokens()
    {
        var requestId = await ChatAsync(new { model = "offline", messages = Ask("capture one " + Guid.NewGuid()) });

        var record = Assert.Single(await RecordsOfAsync(requestId));
        Assert.Equal("offline", record.Model);
        Assert.Equal(UsageRecordStatus.Ok, record.Status);
        Assert.True(record.InputTokens > 0 && record.OutputTokens > 0);
        Assert.False(record.Streaming);
        Assert.False(record.CacheHit);
        Assert.Equal(7, record.Id.Version);
    }

    [Fact]
    public async Task StreamedCompletionIsRecordedWithTimeToFirstToken()
    {
        var requestId = await ChatAsync(new { model = "offline", stream = true, stream_options = new { include_usage = true }, messages = Ask("capture stream " + Guid.NewGuid()) });

        var record = Assert.Single(await RecordsOfAsync(requestId));
        Assert.True(record.Streaming);
        Assert.NotNull(record.TimeToFirstTokenMs);
        Assert.True(record.OutputTokens > 0);
        Assert.Equal(UsageRecordStatus.Ok, record.Status);
    }

    [Fact]
    public async Task CacheHitIsRecordedWithTheTokensItSaved()
    {
        // Temperature 0: only a deterministic request is answered from the cache.
        var request = new { model = "offline", temperature = 0, messages = Ask("capture cached " + Guid.NewGuid()) };
        var first = await ChatAsync(request);
        var second = await ChatAsync(request);

        var miss = Assert.Single(await RecordsOfAsync(first));
        var hit = Assert.Single(await RecordsOfAsync(second));
        Assert.False(miss.CacheHit);
        Assert.True(hit.CacheHit);
        Assert.Equal(0, hit.InputTokens + hit.OutputTokens);
        Assert.Equal(miss.InputTokens + miss.OutputTokens, hit.TokensSaved);
    }

    [Fact]
    public async Task RejectedRequestForAnUnknownModelProducesNoRecordButAFailedCallDoes()
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "no-such-model", messages = Ask("x") });
        var requestId = response.Headers.GetValues("x-request-id").Single();

        Assert.False(response.IsSuccessStatusCode);
        Assert.Empty(await RecordsOfAsync(requestId, expectAtLeast: 0));
    }

    private static object[] Ask(string text) => [new { role = "user", content = text }];

    private async Task<string> ChatAsync(object request)
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return response.Headers.GetValues("x-request-id").Single();
    }

    /// <summary>Reads the whole usage stream (XRANGE) until the request's records arrive.</summary>
    private async Task<List<UsageRecord>> RecordsOfAsync(string requestId, int expectAtLeast = 1)
    {
        await using var redis = await UsageStreams.ConnectAsync(api.Redis);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(expectAtLeast == 0 ? 1 : 20);
        while (true)
        {
            var records = (await UsageStreams.ReadAsync(redis, api.Stream))
                .Where(r => r.RequestId == requestId)
                .ToList();
            if (records.Count >= expectAtLeast && expectAtLeast > 0 || DateTime.UtcNow > deadline)
            {
                return records;
            }
            await Task.Delay(50);
        }
    }
}
