using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Data;
using StackExchange.Redis;

namespace Platform.Api.Auth;

/// <summary>
/// Per-key requests and tokens per minute, and spend per budget period, shared by every Api instance
/// through Redis. Each limit is a sliding-window log (a sorted set of admissions, scored by time), read
/// and written by one Lua script, so instances cannot race and no span of <see cref="KeyLimitsOptions.Window"/>
/// ever holds more than the limit (a fixed per-minute counter admits twice the limit around the minute's
/// end). Tokens are checked before a call against those used in the window and settled after it with the
/// call's real usage; spend likewise (INCRBYFLOAT on a key per key and period). While Redis is unreachable,
/// <see cref="LocalKeyLimiter"/> decides instead.
/// </summary>
public sealed class KeyLimiter(
    IConnectionMultiplexer redis,
    LocalKeyLimiter local,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    IOptionsMonitor<KeyLimitsOptions> options,
    ILogger<KeyLimiter> logger,
    IMeterFactory meterFactory)
{
    // KEYS: request log, token log, spend. ARGV: now ms, window ms, requests limit, tokens limit, budget
    // (-1 where the key has none), the new admission's member. Token log members are "<id>:<tokens>".
    // Returns {status, requests, requests reset ms, tokens, tokens reset ms, spend}; status 1 admitted,
    // 0/2/3 refused for requests/tokens/budget, 4 spend unknown (seed it, then ask again).
    private const string AdmitScript = """
        local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
        local rpm, tpm, budget = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
        local spend = 0
        if budget >= 0 then
          local stored = redis.call('GET', KEYS[3])
          if not stored then return {4, 0, 0, 0, 0, '0'} end
          spend = tonumber(stored)
        end
        local requests, requestsReset = 0, 0
        if rpm >= 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
          requests = redis.call('ZCARD', KEYS[1])
          if requests > 0 then
            requestsReset = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]) + window - now
          end
        end
        local tokens, tokensReset = 0, 0
        if tpm >= 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
          local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
          for i = 1, #entries, 2 do tokens = tokens + tonumber(string.match(entries[i], '(%d+)$')) end
          local left = tokens
          for i = 1, #entries, 2 do
            if left < tpm then break end
            left = left - tonumber(string.match(entries[i], '(%d+)$'))
            tokensReset = tonumber(entries[i + 1]) + window - now
          end
        end
        local status = 1
        if rpm >= 0 and requests >= rpm then status = 0
        elseif tpm >= 0 and tokens >= tpm then status = 2
        elseif budget >= 0 and spend >= budget then status = 3
        elseif rpm >= 0 then
          redis.call('ZADD', KEYS[1], now, ARGV[6])
          redis.call('PEXPIRE', KEYS[1], window)
          requests = requests + 1
          if requestsReset == 0 then requestsReset = window end
        end
        return {status, requests, requestsReset, tokens, tokensReset, tostring(spend)}
        """;

    // KEYS: token log, spend. ARGV: now ms, window ms, tokens, member, cost, spend expiry ms (-1: none).
    private const string SettleScript = """
        if tonumber(ARGV[3]) > 0 then
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4] .. ':' .. ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        if tonumber(ARGV[5]) > 0 then
          redis.call('INCRBYFLOAT', KEYS[2], ARGV[5])
          if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
        end
        return 1
        """;

    // After its period ends a spend key is never read again; the margin only covers a settle that lands late.
    private static readonly TimeSpan SpendKeyMargin = TimeSpan.FromHours(1);

    private readonly Counter<long> _decisions = meterFactory.Create("Platform.Api").CreateCounter<long>("platform.ratelimit.decisions",
        description: "Per-key limit decisions by outcome: allowed or rejected in Redis, or local (Redis unreachable; decided by this instance), with admitted and the refusing limit as tags.");

    public async Task<KeyLimitDecision> AdmitAsync(CallerApiKey key, bool metered, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var budget = metered ? key.BudgetUsd : null;
        var tokensLimit = metered ? key.TokensPerMinute : null;
        var period = budget is null ? null : SpendPeriod.Of(key, now);
        if (key.RequestsPerMinute is null && tokensLimit is null && period is null)
        {
            return new KeyLimitDecision(KeyLimitRefusal.None, 0, TimeSpan.Zero, 0, TimeSpan.Zero, 0);
        }
        try
        {
            var keys = Keys(key, period);
            RedisValue[] args = [now.ToUnixTimeMilliseconds(), (long)options.CurrentValue.Window.TotalMilliseconds,
                key.RequestsPerMinute ?? -1, tokensLimit ?? -1, budget is { } b ? b.ToString(CultureInfo.InvariantCulture) : "-1", Guid.NewGuid().ToString("N")];
            var db = redis.GetDatabase();
            var reply = (RedisResult[])(await db.ScriptEvaluateAsync(AdmitScript, keys, args).WaitAsync(cancellationToken))!;
            if ((int)reply[0] == 4)
            {
                // No spend recorded for this period in Redis (first call, or Redis lost it): start from the database.
                var seed = await SpentInDatabaseAsync(key, period!, cancellationToken);
                await db.StringSetAsync(keys[2], seed.ToString(CultureInfo.InvariantCulture), period!.RedisExpiry(now), When.NotExists).WaitAsync(cancellationToken);
                reply = (RedisResult[])(await db.ScriptEvaluateAsync(AdmitScript, keys, args).WaitAsync(cancellationToken))!;
            }
            var decision = new KeyLimitDecision(
                (int)reply[0] switch { 0 => KeyLimitRefusal.Requests, 2 => KeyLimitRefusal.Tokens, 3 => KeyLimitRefusal.Budget, _ => KeyLimitRefusal.None },
                (long)reply[1], TimeSpan.FromMilliseconds((long)reply[2]), (long)reply[3], TimeSpan.FromMilliseconds((long)reply[4]),
                decimal.Parse((string)reply[5]!, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (period is not null)
            {
                local.RememberSpend(key, period.Id, decision.Spent);
            }
            Count(decision, decision.Admitted ? "allowed" : "rejected");
            return decision;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Limits of key {ApiKeyId} could not be checked in Redis; this instance's local limiter decides.", key.Id);
            if (period is not null && !local.KnowsSpend(key, period.Id))
            {
                local.RememberSpend(key, period.Id, await SpentInDatabaseAsync(key, period, cancellationToken));
            }
            var decision = local.Admit(key, metered, period?.Id);
            Count(decision, "local");
            return decision;
        }
    }

    /// <summary>Charges a finished request's tokens and cost to the key's window and budget.</summary>
    public async Task SettleAsync(CallerApiKey key, long tokens, decimal cost)
    {
        var now = time.GetUtcNow();
        tokens = key.TokensPerMinute is null ? 0 : tokens;
        var period = key.BudgetUsd is null || cost <= 0 ? null : SpendPeriod.Of(key, now);
        if (tokens <= 0 && period is null)
        {
            return;
        }
        try
        {
            var keys = Keys(key, period);
            var expiry = period?.RedisExpiry(now) is { } ttl ? (long)ttl.TotalMilliseconds : -1;
            await redis.GetDatabase().ScriptEvaluateAsync(SettleScript, [keys[1], keys[2]],
                [now.ToUnixTimeMilliseconds(), (long)options.CurrentValue.Window.TotalMilliseconds, tokens, Guid.NewGuid().ToString("N"),
                 period is null ? "0" : cost.ToString(CultureInfo.InvariantCulture), expiry]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Usage of key {ApiKeyId} could not be charged in Redis; it is charged on this instance only.", key.Id);
            local.Settle(key, tokens, period is null ? 0 : cost, period?.Id);
        }
    }

    private RedisKey[] Keys(CallerApiKey key, SpendPeriod? period)
    {
        // One hash tag per key: a cluster keeps all of a key's limits in one slot, as a script needs.
        var prefix = $"{options.CurrentValue.RedisKeyPrefix}{{{key.Id:N}}}:";
        return [prefix + "requests", prefix + "tokens", prefix + "spend:" + (period?.Id ?? "none")];
    }

    /// <summary>The key's spend in the period as the usage records in PostgreSQL have it (records still on their way are missing).</summary>
    private async Task<decimal> SpentInDatabaseAsync(CallerApiKey key, SpendPeriod period, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var id = key.Id.ToString();
            // tenant_id first: the query then walks ix_usage_records_tenant_id_created_at.
            return await db.UsageRecords
                .Where(r => r.TenantId == key.TenantId && r.CreatedAt >= period.Start && r.ApiKeyId == id)
                .SumAsync(r => r.Cost, cancellationToken) ?? 0m;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Spend of key {ApiKeyId} could not be read from PostgreSQL; it starts from zero.", key.Id);
            return 0m;
        }
    }

    private void Count(KeyLimitDecision decision, string outcome) => _decisions.Add(1,
        new KeyValuePair<string, object?>("outcome", outcome),
        new KeyValuePair<string, object?>("admitted", decision.Admitted),
        new KeyValuePair<string, object?>("limit", decision.Refusal == KeyLimitRefusal.None ? null : decision.Refusal.ToString().ToLowerInvariant()));

    /// <summary>One budget period of one key: e.g. "monthly-20261201", "total".</summary>
    private sealed record SpendPeriod(string Id, DateTimeOffset Start, DateTimeOffset? End)
    {
        public static SpendPeriod Of(CallerApiKey key, DateTimeOffset now)
        {
            var (start, end) = key.BudgetPeriod.Bounds(now);
            var id = end is null ? key.BudgetPeriod.Name() : $"{key.BudgetPeriod.Name()}-{start:yyyyMMdd}";
            return new SpendPeriod(id, start, end);
        }

        public TimeSpan? RedisExpiry(DateTimeOffset now) => End is { } end ? end - now + SpendKeyMargin : null;
    }
}
