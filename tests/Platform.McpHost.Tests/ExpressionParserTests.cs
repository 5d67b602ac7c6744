using Platform.McpHost.Tools;
using Platform.McpHost.Tools.Expressions;

namespace Platform.McpHost.Tests;

public sealed class ExpressionParserTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("(-2) ^ 2", 4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("64 / 4 / 2", 8)]
    [InlineData("-7 % 3", -1)]
    [InlineData("--3", 3)]
    [InlineData("1.5e3 + .5", 1500.5)]
    [InlineData("min(3, -1, 2) + max(4)", 3)]
    [InlineData("round(2.5) + round(-2.5)", 0)]
    [InlineData("round(3.14159, 2)", 3.14)]
    [InlineData("log(8, 2) + ln(e) + log10(1000)", 7)]
    [InlineData("floor(-1.5) + ceil(1.2)", 0)]
    [InlineData("  sqrt( 16 )*abs(-2) ", 8)]
    [InlineData("PI - pi", 0)]
    public void EvaluatesWithConventionalPrecedenceAndAssociativity(string expression, double expected)
    {
        Assert.Equal(expected, ExpressionParser.Evaluate(expression), 10);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1 +", "position 4")]
    [InlineData("(1", "missing ')'")]
    [InlineData("1 2", "unexpected '2'")]
    [InlineData("sqrt", "needs parentheses")]
    [InlineData("sqrt(1, 2)", "exactly 1 argument")]
    [InlineData("x + 1", "unknown name 'x'")]
    [InlineData("sqrt(-1)", "not a real number")]
    [InlineData("10 ^ 400", "not a finite number")]
    [InlineData("1 # 2", "unexpected '#'")]
    public void RejectsBadInputWithAMessageThatLocatesTheProblem(string expression, string message)
    {
        var error = Assert.Throws<ToolArgumentException>(() => ExpressionParser.Evaluate(expression));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void DeepNestingIsRejectedInsteadOfOverflowingTheStack()
    {
        var expression = new string('(', 5000) + "1" + new string(')', 5000);

        var error = Assert.Throws<ToolArgumentException>(() => ExpressionParser.Evaluate(expression[..ExpressionParser.MaxLength]));
        Assert.Contains("nesting", error.Message);
    }
}
