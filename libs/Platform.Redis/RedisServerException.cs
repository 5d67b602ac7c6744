namespace Platform.Redis;

/// <summary>The server answered with an error reply (for example <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, <c>ERR</c>).</summary>
public sealed class RedisServerException : RedisException
{
    public RedisServerException(string message) : base(message)
    {
        var space = message.IndexOf(' ');
        ErrorPrefix = space < 0 ? message : message[..space];
    }

    /// <summary>The first word of the error reply, which Redis uses as the error code.</summary>
    public string ErrorPrefix { get; }
}
