namespace Platform.McpHost.Tools.Expressions;

/// <summary>The functions and constants expressions may use.</summary>
internal static class MathFunctions
{
    public static readonly string[] ConstantNames = ["pi", "e", "tau"];

    public static readonly string[] FunctionNames =
        ["sqrt", "abs", "min", "max", "round", "floor", "ceil", "log", "ln", "log10", "exp", "sin", "cos", "tan", "asin", "acos", "atan"];

    public static bool IsFunction(string name) => FunctionNames.Contains(name);

    public static double? Constant(string name) => name switch
    {
        "pi" => Math.PI,
        "e" => Math.E,
        "tau" => Math.Tau,
        _ => null,
    };

    /// <summary>The value, or null when the name is unknown or the argument count is wrong.</summary>
    public static double? Call(string name, IReadOnlyList<double> args) => (name, args.Count) switch
    {
        ("sqrt", 1) => args[0] < 0 ? throw new ToolArgumentException("sqrt of a negative number is not a real number.") : Math.Sqrt(args[0]),
        ("abs", 1) => Math.Abs(args[0]),
        ("min", >= 1) => args.Min(),
        ("max", >= 1) => args.Max(),
        ("round", 1) => Math.Round(args[0], MidpointRounding.AwayFromZero),
        ("round", 2) => Math.Round(args[0], RoundingDigits(args[1]), MidpointRounding.AwayFromZero),
        ("floor", 1) => Math.Floor(args[0]),
        ("ceil", 1) => Math.Ceiling(args[0]),
        ("log", 1) or ("ln", 1) => Logarithm(args[0], Math.E),
        ("log", 2) => Logarithm(args[0], args[1]),
        ("log10", 1) => Logarithm(args[0], 10),
        ("exp", 1) => Math.Exp(args[0]),
        ("sin", 1) => Math.Sin(args[0]),
        ("cos", 1) => Math.Cos(args[0]),
        ("tan", 1) => Math.Tan(args[0]),
        ("asin", 1) => Math.Asin(args[0]),
        ("acos", 1) => Math.Acos(args[0]),
        ("atan", 1) => Math.Atan(args[0]),
        _ => null,
    };

    public static string DescribeMisuse(string name, int count) => name switch
    {
        "min" or "max" => $"{name} needs at least one argument",
        "round" => "round takes 1 or 2 arguments: round(x) or round(x, digits)",
        "log" => "log takes 1 or 2 arguments: log(x) (natural) or log(x, base)",
        _ when IsFunction(name) => $"{name} takes exactly 1 argument, got {count}",
        _ => $"unknown function '{name}'; functions: {string.Join(", ", FunctionNames)}",
    };

    private static int RoundingDigits(double digits) =>
        digits is >= 0 and <= 15 && digits == Math.Floor(digits)
            ? (int)digits
            : throw new ToolArgumentException("round's digits must be a whole number from 0 to 15.");

    private static double Logarithm(double value, double newBase)
    {
        if (value <= 0)
        {
            throw new ToolArgumentException("log is only defined for positive numbers.");
        }
        if (newBase <= 0 || newBase == 1)
        {
            throw new ToolArgumentException("log's base must be positive and not 1.");
        }
        return Math.Log(value, newBase);
    }
}
