using System.Globalization;

namespace Platform.McpHost.Tools.Expressions;

/// <summary>
/// Recursive-descent evaluator for arithmetic expressions, in double precision.
/// <code>
/// expression = term { ("+" | "-") term }
/// term       = unary { ("*" | "/" | "%") unary }
/// unary      = ("+" | "-") unary | power
/// power      = primary [ "^" unary ]          (right-associative; -2^2 = -4)
/// primary    = number | constant | function "(" expression { "," expression } ")" | "(" expression ")"
/// </code>
/// </summary>
internal sealed class ExpressionParser
{
    public const int MaxLength = 2000;
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private int _depth;

    private ExpressionParser(string text) => _text = text;

    /// <summary>Evaluates <paramref name="text"/>; throws <see cref="ToolArgumentException"/> saying where and why it is wrong.</summary>
    public static double Evaluate(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ToolArgumentException("'expression' is empty.");
        }
        if (text.Length > MaxLength)
        {
            throw new ToolArgumentException($"'expression' is longer than {MaxLength} characters.");
        }

        var parser = new ExpressionParser(text);
        var value = parser.ParseExpression();
        parser.SkipWhitespace();
        if (parser._position < text.Length)
        {
            throw parser.Fail($"unexpected '{text[parser._position]}'");
        }
        return double.IsFinite(value) ? value : throw new ToolArgumentException("The result is not a finite number (overflow or undefined).");
    }

    private double ParseExpression()
    {
        if (++_depth > MaxDepth)
        {
            throw Fail($"nesting deeper than {MaxDepth} levels");
        }

        var value = ParseTerm();
        while (true)
        {
            if (Accept('+'))
            {
                value += ParseTerm();
            }
            else if (Accept('-'))
            {
                value -= ParseTerm();
            }
            else
            {
                _depth--;
                return value;
            }
        }
    }

    private double ParseTerm()
    {
        var value = ParseUnary();
        while (true)
        {
            var operatorPosition = _position;
            if (Accept('*'))
            {
                value *= ParseUnary();
            }
            else if (Accept('/'))
            {
                var divisor = ParseUnary();
                value = divisor == 0 ? throw FailAt(operatorPosition, "division by zero") : value / divisor;
            }
            else if (Accept('%'))
            {
                var divisor = ParseUnary();
                value = divisor == 0 ? throw FailAt(operatorPosition, "modulo by zero") : value % divisor;
            }
            else
            {
                return value;
            }
        }
    }

    private double ParseUnary()
    {
        if (Accept('-'))
        {
            return -ParseUnary();
        }
        return Accept('+') ? ParseUnary() : ParsePower();
    }

    private double ParsePower()
    {
        var value = ParsePrimary();
        return Accept('^') ? Math.Pow(value, ParseUnary()) : value;
    }

    private double ParsePrimary()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw Fail("the expression ends where a number, name or '(' was expected");
        }

        var c = _text[_position];
        if (c == '(')
        {
            _position++;
            var value = ParseExpression();
            Expect(')');
            return value;
        }
        if (char.IsAsciiDigit(c) || c == '.')
        {
            return ParseNumber();
        }
        if (char.IsAsciiLetter(c))
        {
            return ParseName();
        }
        throw Fail($"unexpected '{c}'");
    }

    private double ParseNumber()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] == '.'))
        {
            _position++;
        }
        // Exponent: 1e3, 2.5E-4
        if (_position < _text.Length && (_text[_position] is 'e' or 'E'))
        {
            var mark = _position++;
            if (_position < _text.Length && (_text[_position] is '+' or '-'))
            {
                _position++;
            }
            if (_position >= _text.Length || !char.IsAsciiDigit(_text[_position]))
            {
                _position = mark;
            }
            while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            {
                _position++;
            }
        }

        var token = _text.AsSpan(start, _position - start);
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw FailAt(start, $"'{token}' is not a number");
    }

    private double ParseName()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
        var name = _text[start.._position].ToLowerInvariant();

        SkipWhitespace();
        if (_position < _text.Length && _text[_position] == '(')
        {
            _position++;
            var arguments = new List<double>();
            SkipWhitespace();
            if (!Accept(')'))
            {
                do
                {
                    arguments.Add(ParseExpression());
                }
                while (Accept(','));
                Expect(')');
            }
            return MathFunctions.Call(name, arguments) ?? throw FailAt(start, MathFunctions.DescribeMisuse(name, arguments.Count));
        }

        return MathFunctions.Constant(name)
            ?? throw FailAt(start, MathFunctions.IsFunction(name)
                ? $"function '{name}' needs parentheses, e.g. {name}(2)"
                : $"unknown name '{name}'; constants: {string.Join(", ", MathFunctions.ConstantNames)}");
    }

    private bool Accept(char expected)
    {
        SkipWhitespace();
        if (_position < _text.Length && _text[_position] == expected)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void Expect(char expected)
    {
        if (!Accept(expected))
        {
            throw Fail(_position < _text.Length ? $"expected '{expected}' but found '{_text[_position]}'" : $"missing '{expected}'");
        }
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private ToolArgumentException Fail(string reason) => FailAt(_position, reason);

    private static ToolArgumentException FailAt(int position, string reason) =>
        new($"Invalid expression at position {position + 1}: {reason}.");
}
