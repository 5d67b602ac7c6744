using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace Platform.Api.Auth;

/// <summary>
/// Per-key request limits, enforced atomically in Redis so that every Api instance shares one
/// count: a Lua script increments the key's counter for the current minute and sets its expiry.
/// When Redis cannot be reached the request is let through (and counted): an outage of the
/// limiter must not become an outage of the gateway.
/// </summary>
public sealed class RateLimiter(IConnectionMultiplexer redis, ILogger<RateLimiter> logger, IMeterFactory meterFactory)
{
    // KEYS[1] = counter; ARGV[1] = limit, ARGV[2] = window ms. Returns {allowed (0|1), count, ttl ms}.
    // StackExchange.Redis sends it with EVALSHA once the server knows it.
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if count > tonumber(ARGV[1]) then return {0, count, ttl} end
        return {1, count, ttl}
        """;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Counter<long> _decisions = meterFactory.Create("Platform.Api").CreateCounter<long>("platform.ratelimit.decisions", description: "Rate-limit decisions by outcome (allowed, rejected, unavailable).");

    public async Task<RateLimitDecision> CheckRequestAsync(string apiKeyId, int requestsPerMinute, CancellationToken cancellationToken)
    {
        var windowStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;
        try
        {
            var result = await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, [$"platform:ratelimit:{apiKeyId}:{windowStart}"], [requestsPerMinute, (long)Window.TotalMilliseconds])
                .WaitAsync(cancellationToken);
            var reply = (RedisResult[])result!;
            var allowed = (long)reply[0] == 1;
            var retryAfter = TimeSpan.FromMilliseconds(Math.Max((long)reply[2], 0));
            _decisions.Add(1, new KeyValuePair<string, object?>("outcome", allowed ? "allowed" : "rejected"));
            return new RateLimitDecision(allowed, requestsPerMinute, (int)Math.Max(requestsPerMinute - (long)reply[1], 0), retryAfter);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Rate limit for key {ApiKeyId} could not be checked; the request is allowed.", apiKeyId);
            _decisions.Add(1, new KeyValuePair<string, object?>("outcome", "unavailable"));
            return new RateLimitDecision(true, requestsPerMinute, requestsPerMinute, TimeSpan.Zero);
        }
    }
}

public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan RetryAfter);
