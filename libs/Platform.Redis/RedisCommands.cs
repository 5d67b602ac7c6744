using Platform.Redis.Protocol;

namespace Platform.Redis;

/// <summary>
/// The commands the platform uses, shared by <see cref="RedisConnection"/> (sent at once, pipelined)
/// and <see cref="RedisBatch"/> (queued until the batch is executed).
/// </summary>
public abstract partial class RedisCommands
{
    private protected RedisCommands()
    {
    }

    /// <summary>Sends (a connection) or queues (a batch) a request built by a command method.</summary>
    private protected abstract Task<T> SubmitAsync<T>(RedisRequest<T> request, CancellationToken ct);

    private protected Task<T> SendAsync<T>(string command, RedisArg[] args, Func<RedisReply, T> project, CancellationToken ct, RespWireReader<T>? readWire = null) =>
        SubmitAsync(new RedisRequest<T>(command, args, project, readWire), ct);

    /// <summary>Runs a Lua script. A batch sends it with EVAL; a connection uses EVALSHA and loads the script on NOSCRIPT.</summary>
    public virtual Task<RedisReply> EvalAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<RedisArg> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        return SendAsync("EVAL", ScriptArgs(script.Source, keys, args), static r => r, ct);
    }

    public Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken ct = default) =>
        SendAsync("PUBLISH", [channel, message], static r => r.AsInt64(), ct);

    public Task<string> InfoAsync(string? section = null, CancellationToken ct = default) =>
        SendAsync("INFO", section is null ? [] : [section], static r => r.AsString() ?? "", ct);

    /// <summary>Sends any command; error replies throw <see cref="RedisServerException"/>.</summary>
    public Task<RedisReply> ExecuteAsync(string command, IReadOnlyList<RedisArg> args, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        // "CLIENT LIST" style names are accepted: the words after the first are sent as arguments.
        if (command.Contains(' '))
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return SendAsync(words[0], [.. words[1..].Select(w => (RedisArg)w), .. args], static r => r, ct);
        }
        return SendAsync(command, [.. args], static r => r, ct);
    }

    private protected Task<RedisReply> SendScriptAsync(string command, string scriptOrSha, IReadOnlyList<string> keys, IReadOnlyList<RedisArg> args, CancellationToken ct) =>
        SendAsync(command, ScriptArgs(scriptOrSha, keys, args), static r => r, ct);

    private static RedisArg[] ScriptArgs(string scriptOrSha, IReadOnlyList<string> keys, IReadOnlyList<RedisArg> args)
    {
        var all = new RedisArg[2 + keys.Count + args.Count];
        all[0] = scriptOrSha;
        all[1] = keys.Count;
        for (var i = 0; i < keys.Count; i++)
        {
            all[2 + i] = keys[i];
        }
        for (var i = 0; i < args.Count; i++)
        {
            all[2 + keys.Count + i] = args[i];
        }
        return all;
    }

    private static RedisArg[] KeysArgs(IReadOnlyList<string> keys)
    {
        var all = new RedisArg[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            all[i] = keys[i];
        }
        return all;
    }

    private static long Milliseconds(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds)) : throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
}
