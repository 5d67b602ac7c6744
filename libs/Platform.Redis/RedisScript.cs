using System.Security.Cryptography;
using System.Text;

namespace Platform.Redis;

/// <summary>A Lua script sent by SHA1 (EVALSHA) and loaded on demand when the server does not know it.</summary>
public sealed class RedisScript
{
    public RedisScript(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Source = source;
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
    }

    public string Source { get; }

    /// <summary>Lower-case hex SHA1 of <see cref="Source"/>, as SCRIPT LOAD returns it.</summary>
    public string Sha1 { get; }
}
