using System.Text;

namespace Platform.Redis;

/// <summary>One stream entry: its id and field/value pairs in the order they were added.</summary>
public sealed record StreamEntry(string Id, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Fields)
{
    /// <summary>The value of the first field with this name, or null when the entry has no such field.</summary>
    public ReadOnlyMemory<byte>? this[string field] => TryGetField(field, out var value) ? value : (ReadOnlyMemory<byte>?)null;

    public bool TryGetField(string field, out ReadOnlyMemory<byte> value)
    {
        foreach (var pair in Fields)
        {
            if (pair.Key == field)
            {
                value = pair.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public string? GetString(string field) => TryGetField(field, out var value) ? Encoding.UTF8.GetString(value.Span) : null;
}
