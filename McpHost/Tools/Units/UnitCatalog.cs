namespace Platform.McpHost.Tools.Units;

/// <summary>Units by category. Linear units are a factor to the category's base unit; temperature is affine.</summary>
internal static class UnitCatalog
{
    public sealed record Unit(string Category, string Symbol, double Factor);

    private static readonly (string Category, string Symbol, double Factor, string[] Aliases)[] Definitions =
    [
        // length, base metre
        ("length", "m", 1, ["meter", "meters", "metre", "metres"]),
        ("length", "km", 1000, ["kilometer", "kilometers", "kilometre", "kilometres"]),
        ("length", "cm", 0.01, ["centimeter", "centimeters", "centimetre", "centimetres"]),
        ("length", "mm", 0.001, ["millimeter", "millimeters", "millimetre", "millimetres"]),
        ("length", "um", 1e-6, ["µm", "micrometer", "micrometers", "micron", "microns"]),
        ("length", "nm", 1e-9, ["nanometer", "nanometers"]),
        ("length", "in", 0.0254, ["inch", "inches"]),
        ("length", "ft", 0.3048, ["foot", "feet"]),
        ("length", "yd", 0.9144, ["yard", "yards"]),
        ("length", "mi", 1609.344, ["mile", "miles"]),
        ("length", "nmi", 1852, ["nautical mile", "nautical miles"]),
        // mass, base kilogram
        ("mass", "kg", 1, ["kilogram", "kilograms"]),
        ("mass", "g", 0.001, ["gram", "grams"]),
        ("mass", "mg", 1e-6, ["milligram", "milligrams"]),
        ("mass", "t", 1000, ["tonne", "tonnes", "metric ton"]),
        ("mass", "lb", 0.45359237, ["lbs", "pound", "pounds"]),
        ("mass", "oz", 0.028349523125, ["ounce", "ounces"]),
        ("mass", "st", 6.35029318, ["stone", "stones"]),
        // volume, base litre (US customary units)
        ("volume", "l", 1, ["liter", "liters", "litre", "litres"]),
        ("volume", "ml", 0.001, ["milliliter", "milliliters", "millilitre", "millilitres"]),
        ("volume", "m3", 1000, ["cubic meter", "cubic meters", "cubic metre"]),
        ("volume", "cm3", 0.001, ["cc", "cubic centimeter"]),
        ("volume", "gal", 3.785411784, ["gallon", "gallons", "us gallon"]),
        ("volume", "qt", 0.946352946, ["quart", "quarts"]),
        ("volume", "pt", 0.473176473, ["pint", "pints"]),
        ("volume", "cup", 0.2365882365, ["cups"]),
        ("volume", "floz", 0.0295735295625, ["fl oz", "fluid ounce", "fluid ounces"]),
        ("volume", "imp_gal", 4.54609, ["imperial gallon", "imperial gallons"]),
        // data size, base byte; SI prefixes are powers of 1000, IEC ones powers of 1024
        ("data", "B", 1, ["byte", "bytes"]),
        ("data", "bit", 0.125, ["bits"]),
        ("data", "KB", 1e3, ["kilobyte", "kilobytes", "kB"]),
        ("data", "MB", 1e6, ["megabyte", "megabytes"]),
        ("data", "GB", 1e9, ["gigabyte", "gigabytes"]),
        ("data", "TB", 1e12, ["terabyte", "terabytes"]),
        ("data", "PB", 1e15, ["petabyte", "petabytes"]),
        ("data", "KiB", 1024, ["kibibyte", "kibibytes"]),
        ("data", "MiB", 1048576, ["mebibyte", "mebibytes"]),
        ("data", "GiB", 1073741824, ["gibibyte", "gibibytes"]),
        ("data", "TiB", 1099511627776, ["tebibyte", "tebibytes"]),
        // time, base second; a year is the Julian year of 365.25 days
        ("time", "s", 1, ["sec", "second", "seconds"]),
        ("time", "ns", 1e-9, ["nanosecond", "nanoseconds"]),
        ("time", "us", 1e-6, ["µs", "microsecond", "microseconds"]),
        ("time", "ms", 0.001, ["millisecond", "milliseconds"]),
        ("time", "min", 60, ["minute", "minutes"]),
        ("time", "h", 3600, ["hr", "hour", "hours"]),
        ("time", "d", 86400, ["day", "days"]),
        ("time", "wk", 604800, ["week", "weeks"]),
        ("time", "yr", 31557600, ["year", "years"]),
        // temperature: the factor is unused, conversion goes through kelvin
        ("temperature", "C", 1, ["°C", "celsius", "degc"]),
        ("temperature", "F", 1, ["°F", "fahrenheit", "degf"]),
        ("temperature", "K", 1, ["kelvin", "kelvins"]),
    ];

    // Symbols match exactly first, so "B" (byte) and "b" never collide with anything by case;
    // then symbols and names match case-insensitively ("MB", "mb", "Miles").
    private static readonly Dictionary<string, Unit> ExactSymbols = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Unit> AnyCase = new(StringComparer.OrdinalIgnoreCase);

    static UnitCatalog()
    {
        foreach (var (category, symbol, factor, aliases) in Definitions)
        {
            var unit = new Unit(category, symbol, factor);
            ExactSymbols[symbol] = unit;
            AnyCase.TryAdd(symbol, unit);
            foreach (var alias in aliases)
            {
                AnyCase.TryAdd(alias, unit);
            }
        }
    }

    public static readonly string[] Categories = ["length", "mass", "temperature", "volume", "data", "time"];

    public static IEnumerable<string> SymbolsOf(string category) =>
        Definitions.Where(d => d.Category == category).Select(d => d.Symbol);

    public static Unit? Find(string text)
    {
        var trimmed = text.Trim();
        return ExactSymbols.GetValueOrDefault(trimmed) ?? AnyCase.GetValueOrDefault(trimmed);
    }

    public static double Convert(double value, Unit from, Unit to) =>
        from.Category == "temperature"
            ? FromKelvin(ToKelvin(value, from.Symbol), to.Symbol)
            : value * from.Factor / to.Factor;

    public static double ToKelvin(double value, string symbol) => symbol switch
    {
        "C" => value + 273.15,
        "F" => (value - 32) * 5 / 9 + 273.15,
        _ => value,
    };

    private static double FromKelvin(double kelvin, string symbol) => symbol switch
    {
        "C" => kelvin - 273.15,
        "F" => (kelvin - 273.15) * 9 / 5 + 32,
        _ => kelvin,
    };
}
