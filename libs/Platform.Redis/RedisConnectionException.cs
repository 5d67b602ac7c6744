namespace Platform.Redis;

/// <summary>No connection to the server, or the connection dropped before the reply arrived.</summary>
public sealed class RedisConnectionException : RedisException
{
    public RedisConnectionException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
