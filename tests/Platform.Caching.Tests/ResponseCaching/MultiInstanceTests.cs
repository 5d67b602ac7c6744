namespace Platform.Caching.Tests.ResponseCaching;

/// <summary>Two Api instances sharing Redis: answers and invalidations travel between them.</summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private CachingApiFactory _first = null!;
    private CachingApiFactory _second = null!;

    public async Task InitializeAsync()
    {
        var settings = await CachingApiFactory.CreateSettingsAsync();
        _first = new CachingApiFactory(settings);
        _second = new CachingApiFactory(settings);
        await _first.GetStartedCacheAsync();
        await _second.GetStartedCacheAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task SecondInstanceServesTheFirstInstancesAnswerFromRedis()
    {
        var body = ChatCalls.Request("shared answer " + Guid.NewGuid().ToString("N"));
        var first = await ChatCalls.PostAsync(_first.CreateClient(), body);

        var second = await ChatCalls.PostAsync(_second.CreateClient(), body);

        Assert.Equal(("miss", "hit"), (first.Cache, second.Cache));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(0, _second.Upstream.Calls);
        Assert.Equal(1, (await _second.GetStartedCacheAsync()).GetStatistics().Distributed.Hits);
    }

    [Fact]
    public async Task InvalidationOnOneInstanceReachesTheOther()
    {
        var body = ChatCalls.Request("invalidated everywhere " + Guid.NewGuid().ToString("N"));
        var secondClient = _second.CreateClient();
        await ChatCalls.PostAsync(_first.CreateClient(), body);
        Assert.Equal("hit", (await ChatCalls.PostAsync(secondClient, body)).Cache);
        Assert.Equal("hit", (await ChatCalls.PostAsync(secondClient, body)).Cache);

        Assert.Equal(200, await ChatCalls.AdminAsync(_first.CreateClient(), HttpMethod.Delete, "/v1/cache"));

        await Eventually.HoldsAsync(
            async () => (await ChatCalls.PostAsync(secondClient, body)).Cache == "miss",
            "the second instance stops serving the answer the first one invalidated");
        Assert.Equal(1, _second.Upstream.Calls);
    }

    [Fact]
    public async Task TagInvalidationOnOneInstanceReachesTheOthersMemory()
    {
        var (_, key, tenant) = await ChatCalls.CreateKeyAsync(_first.CreateClient(), "tagged");
        var body = ChatCalls.Request("invalidated by tag " + Guid.NewGuid().ToString("N"));
        var secondClient = _second.CreateClient();
        await ChatCalls.PostAsync(_first.CreateClient(), body, bearer: key);
        Assert.Equal("hit", (await ChatCalls.PostAsync(secondClient, body, bearer: key)).Cache);
        Assert.Equal("hit", (await ChatCalls.PostAsync(secondClient, body, bearer: key)).Cache); // now in the second's memory

        Assert.Equal(200, await ChatCalls.AdminAsync(_first.CreateClient(), HttpMethod.Delete, "/v1/cache?tag=" + Uri.EscapeDataString("tenant:" + tenant)));

        await Eventually.HoldsAsync(
            async () => (await ChatCalls.PostAsync(secondClient, body, bearer: key)).Cache == "miss",
            "the second instance stops serving the tenant's answer from memory");
    }

    [Fact]
    public async Task KeyRevokedOnOneInstanceIsRefusedByTheOtherWithinASecond()
    {
        var (id, key, _) = await ChatCalls.CreateKeyAsync(_first.CreateClient(), "revoked");
        var secondClient = _second.CreateClient();
        // The second instance looks the key up once and then trusts its memory (Auth:KeyCacheDuration, 30 s).
        Assert.Equal(200, (await ChatCalls.PostAsync(secondClient, ChatCalls.Request("before revocation"), bearer: key)).Status);
        Assert.Equal(200, (await ChatCalls.PostAsync(secondClient, ChatCalls.Request("before revocation"), bearer: key)).Status);

        Assert.Equal(204, await ChatCalls.AdminAsync(_first.CreateClient(), HttpMethod.Delete, $"/v1/admin/keys/{id}"));
        var revoked = System.Diagnostics.Stopwatch.StartNew();
        while ((await ChatCalls.PostAsync(secondClient, ChatCalls.Request("after revocation"), bearer: key)).Status != 401)
        {
            Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), "the second instance still accepts the key a second after it was revoked");
            await Task.Delay(20);
        }
    }
}
