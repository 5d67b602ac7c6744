using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Platform.Api.Auth;

/// <summary>
/// What limits a key on this instance while Redis is unreachable: a
/// <see cref="SlidingWindowRateLimiter"/> per key for requests and one for tokens, and the spend last seen
/// in Redis plus what this instance charged since. Each instance then admits up to the full limit by
/// itself (so N instances admit up to N times it) — a looser limit for the outage, not an open door.
/// Keys are held in a memory cache bounded by <see cref="KeyLimitsOptions.LocalMaxKeys"/> and dropped
/// when idle for two windows.
/// </summary>
public sealed class LocalKeyLimiter : IDisposable
{
    // More segments follow the true sliding window more closely; six is what OpenAI-style per-minute limits need.
    private const int SegmentsPerWindow = 6;

    private readonly MemoryCache _keys;
    private readonly IOptionsMonitor<KeyLimitsOptions> _options;

    public LocalKeyLimiter(IOptionsMonitor<KeyLimitsOptions> options)
    {
        _options = options;
        _keys = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.CurrentValue.LocalMaxKeys });
    }

    public KeyLimitDecision Admit(CallerApiKey key, bool metered, string? budgetPeriodId)
    {
        var state = StateOf(key);
        lock (state)
        {
            if (state.Disposed)
            {
                // Evicted between the lookup and the lock: a fresh state has (or will have) taken its place.
                return Admit(key, metered, budgetPeriodId);
            }
            var tokensUsed = 0L;
            if (metered && state.Tokens is { } tokens)
            {
                var available = tokens.GetStatistics()?.CurrentAvailablePermits ?? 0;
                tokensUsed = key.TokensPerMinute!.Value - available;
                if (available <= 0)
                {
                    return new KeyLimitDecision(KeyLimitRefusal.Tokens, 0, Segment, tokensUsed, Segment, 0);
                }
            }
            var spent = budgetPeriodId is not null && state.SpendPeriod == budgetPeriodId ? state.Spent : 0m;
            if (metered && key.BudgetUsd is { } budget && spent >= budget)
            {
                return new KeyLimitDecision(KeyLimitRefusal.Budget, 0, TimeSpan.Zero, tokensUsed, TimeSpan.Zero, spent);
            }
            if (state.Requests is { } requests)
            {
                using var lease = requests.AttemptAcquire();
                var used = key.RequestsPerMinute!.Value - (requests.GetStatistics()?.CurrentAvailablePermits ?? 0);
                if (!lease.IsAcquired)
                {
                    return new KeyLimitDecision(KeyLimitRefusal.Requests, used, Segment, tokensUsed, TimeSpan.Zero, spent);
                }
                return new KeyLimitDecision(KeyLimitRefusal.None, used, Segment, tokensUsed, TimeSpan.Zero, spent);
            }
            return new KeyLimitDecision(KeyLimitRefusal.None, 0, TimeSpan.Zero, tokensUsed, TimeSpan.Zero, spent);
        }
    }

    /// <summary>Whether this instance knows the key's spend in the period (from Redis or its own charges).</summary>
    public bool KnowsSpend(CallerApiKey key, string budgetPeriodId)
    {
        var state = StateOf(key);
        lock (state)
        {
            return state.SpendPeriod == budgetPeriodId;
        }
    }

    /// <summary>The spend Redis reported: the base local charges add to while Redis is unreachable.</summary>
    public void RememberSpend(CallerApiKey key, string budgetPeriodId, decimal spent)
    {
        var state = StateOf(key);
        lock (state)
        {
            state.SpendPeriod = budgetPeriodId;
            state.Spent = spent;
        }
    }

    /// <summary>Charges a finished request that could not be settled in Redis.</summary>
    public void Settle(CallerApiKey key, long tokens, decimal cost, string? budgetPeriodId)
    {
        var state = StateOf(key);
        lock (state)
        {
            if (state.Disposed)
            {
                return;
            }
            if (tokens > 0 && state.Tokens is { } limiter)
            {
                // A window can be overdrawn by the request that crossed it; the limiter holds no debt, so it is emptied.
                var take = (int)Math.Min(tokens, limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
                if (take > 0)
                {
                    limiter.AttemptAcquire(take).Dispose();
                }
            }
            if (cost > 0 && budgetPeriodId is not null)
            {
                state.Spent = state.SpendPeriod == budgetPeriodId ? state.Spent + cost : cost;
                state.SpendPeriod = budgetPeriodId;
            }
        }
    }

    private TimeSpan Segment => _options.CurrentValue.Window / SegmentsPerWindow;

    private State StateOf(CallerApiKey key)
    {
        if (_keys.TryGetValue(key.Id, out State? state))
        {
            return state!;
        }
        lock (_keys)
        {
            if (_keys.TryGetValue(key.Id, out state))
            {
                return state!;
            }
            var options = _options.CurrentValue;
            if (_keys.Count >= options.LocalMaxKeys)
            {
                // A full cache would refuse the entry, and an unstored limiter limits nothing (and keeps its timer).
                _keys.Compact(0.25);
            }
            state = new State(Limiter(key.RequestsPerMinute, options.Window), Limiter(key.TokensPerMinute, options.Window));
            var entry = new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = options.Window * 2 };
            entry.RegisterPostEvictionCallback(static (_, value, _, _) => ((State)value!).Dispose());
            _keys.Set(key.Id, state, entry);
            return state;
        }
    }

    private static SlidingWindowRateLimiter? Limiter(int? permits, TimeSpan window) => permits is { } limit
        ? new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = window,
            SegmentsPerWindow = SegmentsPerWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        })
        : null;

    public void Dispose() => _keys.Dispose();

    private sealed class State(SlidingWindowRateLimiter? requests, SlidingWindowRateLimiter? tokens) : IDisposable
    {
        public SlidingWindowRateLimiter? Requests { get; } = requests;
        public SlidingWindowRateLimiter? Tokens { get; } = tokens;
        public string? SpendPeriod { get; set; }
        public decimal Spent { get; set; }
        public bool Disposed { get; private set; }

        public void Dispose()
        {
            lock (this)
            {
                Disposed = true;
                Requests?.Dispose();
                Tokens?.Dispose();
            }
        }
    }
}
