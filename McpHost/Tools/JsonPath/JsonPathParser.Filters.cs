using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.McpHost.Tools.JsonPath;

/// <summary>Filter selectors: <c>[?(@.a.b OP literal)]</c> or <c>[?@.a]</c>.</summary>
internal sealed partial class JsonPathParser
{
    private JsonPathFilter ParseFilter()
    {
        _position++; // '?'
        SkipWhitespace();
        var parenthesized = Accept('(');
        SkipWhitespace();
        if (Peek(0) != '@')
        {
            throw Fail("a filter starts with '@', e.g. [?(@.price < 10)]");
        }
        _position++;

        var relativePath = new List<string>();
        while (Peek(0) is '.' or '[')
        {
            if (Peek(0) == '.')
            {
                _position++;
                var name = ReadIdentifier();
                relativePath.Add(name.Length > 0 ? name : throw Fail("expected a member name after '@.'"));
            }
            else
            {
                _position++;
                SkipWhitespace();
                relativePath.Add(Peek(0) is '\'' or '"' ? ReadQuoted() : (ReadOptionalInt() ?? throw Fail("expected a name or index")).ToString(CultureInfo.InvariantCulture));
                SkipWhitespace();
                Expect(']');
            }
        }

        SkipWhitespace();
        string? op = null;
        JsonNode? literal = null;
        foreach (var candidate in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (string.CompareOrdinal(_path, _position, candidate, 0, candidate.Length) == 0)
            {
                op = candidate;
                _position += candidate.Length;
                SkipWhitespace();
                literal = ReadLiteral();
                break;
            }
        }

        if (parenthesized)
        {
            SkipWhitespace();
            Expect(')');
        }
        return new JsonPathFilter(relativePath, op, literal);
    }

    private JsonNode? ReadLiteral()
    {
        if (Peek(0) is '\'' or '"')
        {
            return JsonValue.Create(ReadQuoted());
        }
        foreach (var (word, value) in new (string, JsonNode?)[] { ("true", JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null) })
        {
            if (string.CompareOrdinal(_path, _position, word, 0, word.Length) == 0)
            {
                _position += word.Length;
                return value;
            }
        }

        var start = _position;
        while (_position < _path.Length && (char.IsAsciiDigit(_path[_position]) || _path[_position] is '-' or '+' or '.' or 'e' or 'E'))
        {
            _position++;
        }
        var text = _path[start.._position];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : throw FailAt(start, "expected a literal: a number, a quoted string, true, false or null");
    }
}
