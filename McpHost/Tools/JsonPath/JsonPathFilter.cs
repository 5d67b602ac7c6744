using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.McpHost.Tools.JsonPath;

/// <summary>
/// <c>@.a.b</c> (exists and is not false/null), or <c>@.a.b OP literal</c>. Numbers compare numerically,
/// strings ordinally; comparing different kinds is false except for != .
/// </summary>
internal sealed record JsonPathFilter(IReadOnlyList<string> RelativePath, string? Operator, JsonNode? Literal)
{
    public bool Matches(JsonNode? candidate)
    {
        if (!TryResolve(candidate, out var value))
        {
            return Operator == "!=";
        }
        if (Operator is null)
        {
            return value is not null && !(value is JsonValue v && v.GetValueKind() == JsonValueKind.False);
        }

        var comparison = Compare(value, Literal);
        return Operator switch
        {
            "==" => comparison == 0,
            "!=" => comparison != 0,
            "<" => comparison < 0,
            "<=" => comparison <= 0,
            ">" => comparison > 0 && comparison != Incomparable,
            ">=" => comparison >= 0 && comparison != Incomparable,
            _ => false,
        };
    }

    private const int Incomparable = int.MaxValue;

    private bool TryResolve(JsonNode? node, out JsonNode? value)
    {
        value = node;
        foreach (var name in RelativePath)
        {
            if (value is JsonObject obj && obj.TryGetPropertyValue(name, out var child))
            {
                value = child;
            }
            else if (value is JsonArray array && int.TryParse(name, out var index) && index >= 0 && index < array.Count)
            {
                value = array[index];
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    // Returns Incomparable for mismatched kinds so that only != holds (and "<" is false: int.MaxValue is not < 0).
    private static int Compare(JsonNode? left, JsonNode? right)
    {
        var leftKind = left?.GetValueKind() ?? JsonValueKind.Null;
        var rightKind = right?.GetValueKind() ?? JsonValueKind.Null;
        if (leftKind == JsonValueKind.Number && rightKind == JsonValueKind.Number)
        {
            return left!.GetValue<double>().CompareTo(right!.GetValue<double>());
        }
        if (leftKind == JsonValueKind.String && rightKind == JsonValueKind.String)
        {
            return string.CompareOrdinal(left!.GetValue<string>(), right!.GetValue<string>());
        }
        if (leftKind == rightKind && leftKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)
        {
            return 0;
        }
        return JsonNode.DeepEquals(left, right) ? 0 : Incomparable;
    }
}
