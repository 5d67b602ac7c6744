using System.Buffers.Text;
using System.Text;

namespace Platform.McpHost.Tools;

/// <summary>The encodings encode_text and decode_text share; text is always UTF-8.</summary>
internal static class TextEncodings
{
    public static readonly string[] Names = ["base64", "base64url", "hex", "url"];

    public static string Encode(string encoding, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return encoding switch
        {
            "base64" => Convert.ToBase64String(bytes),
            "base64url" => Base64Url.EncodeToString(bytes),
            "hex" => Convert.ToHexStringLower(bytes),
            _ => Uri.EscapeDataString(text),
        };
    }

    public static string Decode(string encoding, string encoded)
    {
        var trimmed = encoded.Trim();
        byte[] bytes;
        try
        {
            bytes = encoding switch
            {
                "base64" => Convert.FromBase64String(trimmed),
                "base64url" => Base64Url.DecodeFromChars(trimmed),
                "hex" => Convert.FromHexString(trimmed),
                _ => Encoding.UTF8.GetBytes(Uri.UnescapeDataString(encoded)),
            };
        }
        catch (FormatException)
        {
            throw new ToolArgumentException(encoding switch
            {
                "hex" => "'text' is not valid hex: it needs an even number of the characters 0-9 a-f.",
                "base64url" => "'text' is not valid base64url (A-Z a-z 0-9 - _, padding optional).",
                _ => "'text' is not valid base64 (A-Z a-z 0-9 + /, length a multiple of 4 with = padding).",
            });
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ToolArgumentException($"The decoded bytes are not UTF-8 text (hex: {Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(bytes.Length, 32)))}{(bytes.Length > 32 ? "..." : "")}).");
        }
    }
}
