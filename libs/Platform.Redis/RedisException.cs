namespace Platform.Redis;

/// <summary>Base of every error this client raises; mirrors StackExchange.Redis' RedisException.</summary>
public class RedisException : Exception
{
    public RedisException(string message) : base(message)
    {
    }

    public RedisException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
