using System.Text.Unicode;

namespace Platform.Api.Infrastructure;

/// <summary>
/// Checks that a JSON body's text is Unicode before it is parsed. System.Text.Json reads strings
/// lazily: invalid UTF-8, or an escaped lone surrogate (<c>"\ud800"</c>), is only found when a value
/// is read as a string, deep inside whatever feature reads it, and surfaces as an unexpected exception.
/// </summary>
public static class JsonText
{
    /// <summary>Null when the text is fine, otherwise what is wrong with it.</summary>
    public static string? FindEncodingError(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return "The request body is not valid UTF-8.";
        }
        return FindLoneSurrogateEscape(json) is { } offset
            ? $"The request body has an escaped lone surrogate at byte {offset + 1}; JSON strings must be valid Unicode."
            : null;
    }

    /// <summary>
    /// The offset of the first <c>\uD800</c>–<c>\uDFFF</c> escape that is not half of a pair, or null.
    /// Only strings can hold escapes, so the scan jumps from quote to backslash to quote; malformed
    /// escapes are left to the parser, which reports them with their position.
    /// </summary>
    public static int? FindLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return null;
        }
        var inString = false;
        var i = 0;
        while (i < json.Length)
        {
            var next = inString ? json[i..].IndexOfAny((byte)'"', (byte)'\\') : json[i..].IndexOf((byte)'"');
            if (next < 0)
            {
                return null;
            }
            i += next;
            if (json[i] == '"')
            {
                inString = !inString;
                i++;
                continue;
            }
            // A backslash inside a string: \uXXXX, or a one-character escape.
            if (i + 1 >= json.Length || json[i + 1] != 'u')
            {
                i += 2;
                continue;
            }
            if (!TryReadHex4(json, i + 2, out var unit))
            {
                return null;
            }
            if (char.IsLowSurrogate(unit))
            {
                return i;
            }
            if (char.IsHighSurrogate(unit))
            {
                if (i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                    && TryReadHex4(json, i + 8, out var low) && char.IsLowSurrogate(low))
                {
                    i += 12;
                    continue;
                }
                return i;
            }
            i += 6;
        }
        return null;
    }

    private static bool TryReadHex4(ReadOnlySpan<byte> json, int start, out char value)
    {
        value = '\0';
        if (start + 4 > json.Length)
        {
            return false;
        }
        var result = 0;
        for (var j = start; j < start + 4; j++)
        {
            var digit = HexValue(json[j]);
            if (digit < 0)
            {
                return false;
            }
            result = (result << 4) | digit;
        }
        value = (char)result;
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
