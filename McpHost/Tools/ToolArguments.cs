using System.Text.Json;

namespace Platform.McpHost.Tools;

/// <summary>Typed, validating access to a tools/call request's arguments.</summary>
internal sealed class ToolArguments(IDictionary<string, JsonElement>? values)
{
    public bool Has(string name) => TryGet(name, out _);

    public JsonElement? GetOptional(string name) => TryGet(name, out var value) ? value : null;

    public string GetString(string name) =>
        GetOptionalString(name) ?? throw new ToolArgumentException($"'{name}' is required.");

    public string? GetOptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ToolArgumentException($"'{name}' must be a string, not {Describe(value)}.");
    }

    public double GetNumber(string name) =>
        GetOptionalNumber(name) ?? throw new ToolArgumentException($"'{name}' is required.");

    public double? GetOptionalNumber(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw new ToolArgumentException($"'{name}' must be a finite number, not {Describe(value)}.");
        }
        return number;
    }

    public int GetInt(string name, int defaultValue, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw new ToolArgumentException($"'{name}' must be an integer, not {Describe(value)}.");
        }
        return number < min || number > max
            ? throw new ToolArgumentException($"'{name}' must be between {min} and {max}; got {number}.")
            : number;
    }

    public bool GetBool(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ToolArgumentException($"'{name}' must be true or false, not {Describe(value)}."),
        };
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in its canonical spelling.</summary>
    public string GetChoice(string name, IReadOnlyList<string> allowed, string? defaultValue = null)
    {
        var text = GetOptionalString(name);
        if (text is null)
        {
            return defaultValue ?? throw new ToolArgumentException($"'{name}' is required; one of: {string.Join(", ", allowed)}.");
        }
        foreach (var choice in allowed)
        {
            if (string.Equals(choice, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }
        throw new ToolArgumentException($"'{name}' must be one of: {string.Join(", ", allowed)}; got '{text}'.");
    }

    private bool TryGet(string name, out JsonElement value)
    {
        if (values is not null && values.TryGetValue(name, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return true;
        }
        value = default;
        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
