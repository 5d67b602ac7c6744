using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed class HashTextTool() : HostTool(
    "hash_text",
    "Hash text",
    "Computes a hash of a text's UTF-8 bytes: md5, sha1, sha256, sha384 or sha512, as lowercase hex or base64. " +
    "With 'key' it computes the HMAC instead. md5 and sha1 are for checksums only, not security.",
    """
    {
      "type": "object",
      "properties": {
        "text": { "type": "string" },
        "algorithm": { "type": "string", "enum": ["md5", "sha1", "sha256", "sha384", "sha512"], "default": "sha256" },
        "encoding": { "type": "string", "enum": ["hex", "base64"], "default": "hex" },
        "key": { "type": "string", "description": "Optional HMAC key (UTF-8)." }
      },
      "required": ["text"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "algorithm": { "type": "string" },
        "encoding": { "type": "string" },
        "hmac": { "type": "boolean" },
        "hash": { "type": "string" }
      },
      "required": ["algorithm", "encoding", "hmac", "hash"]
    }
    """)
{
    private static readonly string[] Algorithms = ["md5", "sha1", "sha256", "sha384", "sha512"];

    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var data = Encoding.UTF8.GetBytes(arguments.GetString("text"));
        var algorithm = arguments.GetChoice("algorithm", Algorithms, "sha256");
        var encoding = arguments.GetChoice("encoding", ["hex", "base64"], "hex");
        var key = arguments.GetOptionalString("key") is { } k ? Encoding.UTF8.GetBytes(k) : null;

        var hash = key is null ? Hash(algorithm, data) : Hmac(algorithm, key, data);
        return Structured(new JsonObject
        {
            ["algorithm"] = algorithm,
            ["encoding"] = encoding,
            ["hmac"] = key is not null,
            ["hash"] = encoding == "hex" ? Convert.ToHexStringLower(hash) : Convert.ToBase64String(hash),
        });
    }

    private static byte[] Hash(string algorithm, byte[] data) => algorithm switch
    {
        "md5" => MD5.HashData(data),
        "sha1" => SHA1.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha512" => SHA512.HashData(data),
        _ => SHA256.HashData(data),
    };

    private static byte[] Hmac(string algorithm, byte[] key, byte[] data) => algorithm switch
    {
        "md5" => HMACMD5.HashData(key, data),
        "sha1" => HMACSHA1.HashData(key, data),
        "sha384" => HMACSHA384.HashData(key, data),
        "sha512" => HMACSHA512.HashData(key, data),
        _ => HMACSHA256.HashData(key, data),
    };
}
