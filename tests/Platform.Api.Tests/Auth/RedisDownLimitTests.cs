using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Testing;
using StackExchange.Redis;

namespace Platform.Api.Tests.Auth;

/// <summary>The Api on a private Redis that the test kills.</summary>
public sealed class PrivateRedisKeyFactory(RedisServer redis) : ApiKeyFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
        [new($"ConnectionStrings:{ResourceNames.Redis}", redis.ConnectionString + ",connectTimeout=500,syncTimeout=1000")];
}

public sealed class RedisDownLimitTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private PrivateRedisKeyFactory _api = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.LaunchAsync();
        _api = new PrivateRedisKeyFactory(_redis);
        await _api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_api).DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task WithRedisDownTheLocalLimiterHoldsTheKeysRequestsPerMinute()
    {
        var key = await KeyCalls.CreateKeyAsync(_api, new { name = "outage", tenant_id = "tenant-outage", requests_per_minute = 2 });
        using var client = KeyCalls.ClientWithKey(_api, key);
        var redis = _api.Services.GetRequiredService<IConnectionMultiplexer>();
        var meters = _api.Services.GetRequiredService<IMeterFactory>();
        var outcomes = new System.Collections.Concurrent.ConcurrentQueue<(string? Outcome, bool? Admitted)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This host's instrument only: other test hosts in the process count their own decisions.
            if (instrument.Name == "platform.ratelimit.decisions" && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            outcomes.Enqueue((all.GetValueOrDefault("outcome") as string, all.GetValueOrDefault("admitted") as bool?));
        });
        listener.Start();

        await _redis.KillAsync();
        for (var i = 0; redis.IsConnected; i++)
        {
            Assert.True(i < 200, "the Api never noticed that Redis is gone");
            await Task.Delay(50);
        }
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await client.GetAsync("/v1/models");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(38, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(40, outcomes.Count(o => o.Outcome == "local"));
        Assert.Equal(2, outcomes.Count(o => o.Outcome == "local" && o.Admitted == true));
    }
}
