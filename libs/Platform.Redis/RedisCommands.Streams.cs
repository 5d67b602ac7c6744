using Platform.Redis.Protocol;

namespace Platform.Redis;

public abstract partial class RedisCommands
{
    /// <summary>XADD; <paramref name="maxLength"/> trims exactly (MAXLEN n). Returns the new entry's id.</summary>
    public Task<string> XAddAsync(string stream, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> fields, long? maxLength = null, string id = "*", CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(fields.Count, nameof(fields));
        var prefix = maxLength is null ? 2 : 4;
        var args = new RedisArg[prefix + 2 * fields.Count];
        args[0] = stream;
        if (maxLength is { } max)
        {
            args[1] = "MAXLEN";
            args[2] = max;
        }
        args[prefix - 1] = id;
        for (var i = 0; i < fields.Count; i++)
        {
            args[prefix + 2 * i] = fields[i].Key;
            args[prefix + 2 * i + 1] = fields[i].Value;
        }
        return SendAsync("XADD", args, static r => r.AsString()!, ct);
    }

    /// <summary>XGROUP CREATE [MKSTREAM]; false when the group already exists (BUSYGROUP).</summary>
    public async Task<bool> XGroupCreateAsync(string stream, string group, string startId = "0", bool createStream = true, CancellationToken ct = default)
    {
        RedisArg[] args = createStream ? ["CREATE", stream, group, startId, "MKSTREAM"] : ["CREATE", stream, group, startId];
        try
        {
            await SendAsync("XGROUP", args, static r => r, ct);
            return true;
        }
        catch (RedisServerException error) when (error.ErrorPrefix == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>
    /// XREADGROUP for one stream. With a positive <paramref name="block"/> the connection waits on a socket of
    /// its own, so other callers are never delayed; null or zero returns at once (Redis' BLOCK 0 would wait forever).
    /// </summary>
    public Task<IReadOnlyList<StreamEntry>> XReadGroupAsync(string stream, string group, string consumer, int count, TimeSpan? block = null, string id = ">", CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (block <= TimeSpan.Zero)
        {
            block = null;
        }
        RedisArg[] args = block is { } wait
            ? ["GROUP", group, consumer, "COUNT", count, "BLOCK", (long)Math.Ceiling(Math.Max(0, wait.TotalMilliseconds)), "STREAMS", stream, id]
            : ["GROUP", group, consumer, "COUNT", count, "STREAMS", stream, id];
        return block is { } timeout
            ? SendBlockingAsync("XREADGROUP", args, StreamReplies.ReadGroup, timeout, ct, StreamWireReplies.TryReadGroup)
            : SendAsync("XREADGROUP", args, StreamReplies.ReadGroup, ct, StreamWireReplies.TryReadGroup);
    }

    // Ids are written straight from the caller's list: acknowledging thousands of entries builds no argument array.
    public Task<long> XAckAsync(string stream, string group, IReadOnlyList<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? Task.FromResult(0L) : SubmitAsync(new RedisTextListRequest<long>("XACK", [stream, group], ids, static r => r.AsInt64()), ct);

    public Task<long> XDelAsync(string stream, IReadOnlyList<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? Task.FromResult(0L) : SubmitAsync(new RedisTextListRequest<long>("XDEL", [stream], ids, static r => r.AsInt64()), ct);

    /// <summary>XAUTOCLAIM: takes over entries idle for at least <paramref name="minIdle"/>.</summary>
    public Task<StreamAutoClaimResult> XAutoClaimAsync(string stream, string group, string consumer, TimeSpan minIdle, string start = "0-0", int count = 100, CancellationToken ct = default) =>
        SendAsync("XAUTOCLAIM", [stream, group, consumer, (long)minIdle.TotalMilliseconds, start, "COUNT", count], StreamReplies.AutoClaim, ct);

    public Task<StreamPendingSummary> XPendingAsync(string stream, string group, CancellationToken ct = default) =>
        SendAsync("XPENDING", [stream, group], StreamReplies.PendingSummary, ct);

    public Task<IReadOnlyList<StreamPendingEntry>> XPendingRangeAsync(string stream, string group, int count, string start = "-", string end = "+", TimeSpan? minIdle = null, string? consumer = null, CancellationToken ct = default)
    {
        var args = new List<RedisArg>(8) { stream, group };
        if (minIdle is { } idle)
        {
            args.Add("IDLE");
            args.Add((long)idle.TotalMilliseconds);
        }
        args.Add(start);
        args.Add(end);
        args.Add(count);
        if (consumer is not null)
        {
            args.Add(consumer);
        }
        return SendAsync("XPENDING", [.. args], StreamReplies.PendingRange, ct);
    }

    public Task<long> XLenAsync(string stream, CancellationToken ct = default) =>
        SendAsync("XLEN", [stream], static r => r.AsInt64(), ct);

    public Task<long> XTrimAsync(string stream, long maxLength, bool approximate = true, CancellationToken ct = default) =>
        SendAsync("XTRIM", approximate ? [stream, "MAXLEN", "~", maxLength] : [stream, "MAXLEN", maxLength], static r => r.AsInt64(), ct);

    /// <summary>How a blocking command is sent; a batch cannot block, a connection uses a dedicated socket.</summary>
    private protected virtual Task<T> SendBlockingAsync<T>(string command, RedisArg[] args, Func<RedisReply, T> project, TimeSpan block, CancellationToken ct, RespWireReader<T>? readWire = null) =>
        throw new NotSupportedException($"{command} with BLOCK cannot be part of a batch.");
}
