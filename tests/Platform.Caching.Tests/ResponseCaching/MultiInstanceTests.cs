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
}
