using System.Globalization;
using System.Text;

namespace Platform.McpHost.Tools.JsonPath;

/// <summary>Turns a JSONPath string into segments; errors say where the path went wrong.</summary>
internal sealed partial class JsonPathParser
{
    public const int MaxLength = 1000;

    private readonly string _path;
    private int _position;

    private JsonPathParser(string path) => _path = path;

    public static IReadOnlyList<JsonPathSegment> Parse(string path)
    {
        path = path.Trim();
        if (path.Length == 0 || path[0] != '$')
        {
            throw new ToolArgumentException("'path' must start with '$' (the root), e.g. $.store.book[0].title.");
        }
        if (path.Length > MaxLength)
        {
            throw new ToolArgumentException($"'path' is longer than {MaxLength} characters.");
        }
        return new JsonPathParser(path) { _position = 1 }.ParseSegments();
    }

    private List<JsonPathSegment> ParseSegments()
    {
        var segments = new List<JsonPathSegment>();
        while (_position < _path.Length)
        {
            var c = _path[_position];
            if (c == '.' && Peek(1) == '.')
            {
                _position += 2;
                segments.Add(new(true, Peek(0) == '[' ? ParseBracket() : ParseDotName()));
            }
            else if (c == '.')
            {
                _position++;
                segments.Add(new(false, ParseDotName()));
            }
            else if (c == '[')
            {
                segments.Add(new(false, ParseBracket()));
            }
            else
            {
                throw Fail($"expected '.', '..' or '[' but found '{c}'");
            }
        }
        return segments;
    }

    private JsonPathSelector ParseDotName()
    {
        if (Peek(0) == '*')
        {
            _position++;
            return JsonPathSelector.Wildcard;
        }
        var name = ReadIdentifier();
        return name.Length > 0 ? new NameSelector([name]) : throw Fail("expected a member name or '*'");
    }

    private JsonPathSelector ParseBracket()
    {
        _position++; // '['
        SkipWhitespace();
        JsonPathSelector selector;
        if (Peek(0) == '*')
        {
            _position++;
            selector = JsonPathSelector.Wildcard;
        }
        else if (Peek(0) == '?')
        {
            selector = new FilterSelector(ParseFilter());
        }
        else if (Peek(0) is '\'' or '"')
        {
            var names = new List<string> { ReadQuoted() };
            while (Accept(','))
            {
                SkipWhitespace();
                names.Add(ReadQuoted());
            }
            selector = new NameSelector(names);
        }
        else
        {
            selector = ParseIndexesOrSlice();
        }
        SkipWhitespace();
        Expect(']');
        return selector;
    }

    private JsonPathSelector ParseIndexesOrSlice()
    {
        var first = ReadOptionalInt();
        SkipWhitespace();
        if (Peek(0) == ':')
        {
            _position++;
            var end = ReadOptionalInt();
            var step = 1;
            if (Accept(':'))
            {
                step = ReadOptionalInt() ?? 1;
                if (step == 0)
                {
                    throw Fail("a slice step cannot be 0");
                }
            }
            return new SliceSelector(first, end, step);
        }

        var indexes = new List<int> { first ?? throw Fail("expected an index, a quoted name, '*', a slice or a filter") };
        while (Accept(','))
        {
            indexes.Add(ReadOptionalInt() ?? throw Fail("expected an index after ','"));
        }
        return new IndexSelector(indexes);
    }

    private string ReadIdentifier()
    {
        var start = _position;
        while (_position < _path.Length && (char.IsLetterOrDigit(_path[_position]) || _path[_position] is '_' or '-' or '$'))
        {
            _position++;
        }
        return _path[start.._position];
    }

    private string ReadQuoted()
    {
        var quote = Peek(0);
        if (quote is not ('\'' or '"'))
        {
            throw Fail("expected a quoted name");
        }
        _position++;
        var builder = new StringBuilder();
        while (_position < _path.Length && _path[_position] != quote)
        {
            if (_path[_position] == '\\' && _position + 1 < _path.Length)
            {
                _position++;
            }
            builder.Append(_path[_position++]);
        }
        Expect(quote);
        return builder.ToString();
    }

    private int? ReadOptionalInt()
    {
        SkipWhitespace();
        var start = _position;
        if (Peek(0) == '-')
        {
            _position++;
        }
        while (_position < _path.Length && char.IsAsciiDigit(_path[_position]))
        {
            _position++;
        }
        if (_position == start)
        {
            return null;
        }
        return int.TryParse(_path.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw FailAt(start, "expected an integer");
    }

    private bool Accept(char c)
    {
        SkipWhitespace();
        if (Peek(0) == c)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void Expect(char c)
    {
        if (!Accept(c))
        {
            throw Fail(_position < _path.Length ? $"expected '{c}' but found '{_path[_position]}'" : $"missing '{c}'");
        }
    }

    private char Peek(int ahead) => _position + ahead < _path.Length ? _path[_position + ahead] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _path.Length && char.IsWhiteSpace(_path[_position]))
        {
            _position++;
        }
    }

    private ToolArgumentException Fail(string reason) => FailAt(_position, reason);

    private static ToolArgumentException FailAt(int position, string reason) => new($"Invalid JSONPath at position {position + 1}: {reason}.");
}
