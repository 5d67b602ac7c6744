using Platform.Usage;

namespace Platform.Api.Auth;

/// <summary>
/// Tokens and cost of the provider calls one request made (a tool loop makes several), gathered as
/// their usage records are made, then settled against the key's window and budget by
/// <see cref="KeyLimitsMiddleware"/> when the request ends.
/// </summary>
public sealed class KeyUsageTally
{
    private readonly Lock _lock = new();
    private long _tokens;
    private decimal _cost;

    public long Tokens { get { lock (_lock) { return _tokens; } } }

    public decimal Cost { get { lock (_lock) { return _cost; } } }

    public void Add(long tokens, decimal cost)
    {
        lock (_lock)
        {
            _tokens += tokens;
            _cost += cost;
        }
    }
}

/// <summary>
/// Passes every usage record on to the real sink, adding its tokens and cost to the request's
/// <see cref="KeyUsageTally"/> when the caller's key has a token limit or a budget. The records
/// themselves are not changed.
/// </summary>
public sealed class KeyUsageTallySink(IUsageSink inner, IHttpContextAccessor http, SpendPrices prices) : IUsageSink
{
    public void Record(UsageRecord record)
    {
        Tally(record);
        inner.Record(record);
    }

    public ValueTask RecordAsync(UsageRecord record)
    {
        Tally(record);
        return inner.RecordAsync(record);
    }

    private void Tally(UsageRecord record)
    {
        if (http.HttpContext?.Features.Get<KeyUsageTally>() is { } tally)
        {
            tally.Add((long)record.InputTokens + record.OutputTokens, prices.CostOf(record));
        }
    }
}
