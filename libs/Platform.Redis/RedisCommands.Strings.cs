namespace Platform.Redis;

public abstract partial class RedisCommands
{
    public Task<byte[]?> GetAsync(string key, CancellationToken ct = default) =>
        SendAsync("GET", [key], static r => r.AsBytes(), ct);

    /// <summary>SET with optional PX expiry and NX; false when <paramref name="onlyIfNotExists"/> and the key exists.</summary>
    public Task<bool> SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, bool onlyIfNotExists = false, CancellationToken ct = default)
    {
        RedisArg[] args = (expiry, onlyIfNotExists) switch
        {
            (null, false) => [key, value],
            (null, true) => [key, value, "NX"],
            ({ } ttl, false) => [key, value, "PX", Milliseconds(ttl, nameof(expiry))],
            ({ } ttl, true) => [key, value, "PX", Milliseconds(ttl, nameof(expiry)), "NX"],
        };
        return SendAsync("SET", args, static r => !r.IsNull, ct);
    }

    public Task<byte[]?[]> MGetAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return Task.FromResult<byte[]?[]>([]);
        }
        return SendAsync("MGET", KeysArgs(keys), static r => r.ElementArray.Select(e => e.AsBytes()).ToArray(), ct);
    }

    public Task<long> DeleteAsync(IReadOnlyList<string> keys, CancellationToken ct = default) =>
        keys.Count == 0 ? Task.FromResult(0L) : SendAsync("DEL", KeysArgs(keys), static r => r.AsInt64(), ct);

    public Task<long> ExistsAsync(IReadOnlyList<string> keys, CancellationToken ct = default) =>
        keys.Count == 0 ? Task.FromResult(0L) : SendAsync("EXISTS", KeysArgs(keys), static r => r.AsInt64(), ct);

    public Task<bool> PExpireAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        SendAsync("PEXPIRE", [key, Milliseconds(ttl, nameof(ttl))], static r => r.AsInt64() == 1, ct);

    /// <summary>Remaining time to live; null when the key does not exist or has no expiry.</summary>
    public Task<TimeSpan?> PTtlAsync(string key, CancellationToken ct = default) =>
        SendAsync("PTTL", [key], static r => r.AsInt64() is var ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null, ct);
}
