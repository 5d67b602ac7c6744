namespace Platform.Redis;

/// <summary>The reply did not arrive within <see cref="RedisConnectionOptions.SyncTimeout"/>.</summary>
public sealed class RedisTimeoutException : RedisException
{
    public RedisTimeoutException(string message) : base(message)
    {
    }
}
