using System.Security.Cryptography;
using System.Text;

namespace Platform.Api.Auth;

/// <summary>Keys are 256-bit random secrets, so a plain SHA-256 is enough to store them safely.</summary>
public static class ApiKeyHasher
{
    public const string KeyPrefix = "pk-";

    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
