using System.Text;
using System.Text.Unicode;

namespace Platform.Usage;

/// <summary>
/// Turns short UTF-8 values that repeat from record to record (tenant, provider, model, status, key)
/// into shared strings: the Worker reads thousands of records per batch with a handful of distinct
/// values, and one string each instead of one per record saves most of a record's allocations.
/// One cache per thread, so no locking; a slot holds the last value that hashed to it.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Slots = 128;
    private const int MaximumLength = 64;

    [ThreadStatic]
    private static Utf8StringCache? t_current;

    private readonly byte[]?[] _utf8 = new byte[Slots][];
    private readonly string[] _values = new string[Slots];

    public static Utf8StringCache Current => t_current ??= new Utf8StringCache();

    /// <summary>The string for valid UTF-8 bytes; false for invalid UTF-8, which callers must reject as the serializer would.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, out string value)
    {
        value = "";
        if (!Utf8.IsValid(utf8))
        {
            return false;
        }
        if (utf8.Length > MaximumLength)
        {
            value = Encoding.UTF8.GetString(utf8);
            return true;
        }
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        if (_utf8[slot] is { } known && utf8.SequenceEqual(known))
        {
            value = _values[slot];
            return true;
        }
        value = Encoding.UTF8.GetString(utf8);
        _utf8[slot] = utf8.ToArray();
        _values[slot] = value;
        return true;
    }
}
