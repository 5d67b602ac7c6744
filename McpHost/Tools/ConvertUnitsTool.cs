using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Platform.McpHost.Tools.Units;

namespace Platform.McpHost.Tools;

internal sealed class ConvertUnitsTool() : HostTool(
    "convert_units",
    "Convert units",
    "Converts a value between units of length (m km cm mm um nm in ft yd mi nmi), mass (kg g mg t lb oz st), temperature (C F K), " +
    "volume (l ml m3 cm3 gal qt pt cup floz imp_gal; US customary), data size (bit B KB MB GB TB PB = powers of 1000, KiB MiB GiB TiB = powers of 1024) " +
    "and time (ns us ms s min h d wk yr). Full names such as 'miles' or 'celsius' work too.",
    """
    {
      "type": "object",
      "properties": {
        "value": { "type": "number", "description": "The quantity to convert." },
        "from": { "type": "string", "description": "Unit of value, e.g. km, lb, F, GiB." },
        "to": { "type": "string", "description": "Target unit, of the same kind as 'from'." }
      },
      "required": ["value", "from", "to"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "value": { "type": "number" },
        "from": { "type": "string" },
        "to": { "type": "string" },
        "category": { "type": "string" },
        "result": { "type": "number" }
      },
      "required": ["value", "from", "to", "category", "result"]
    }
    """)
{
    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var value = arguments.GetNumber("value");
        var from = FindUnit(arguments.GetString("from"), "from");
        var to = FindUnit(arguments.GetString("to"), "to");
        if (from.Category != to.Category)
        {
            throw new ToolArgumentException($"Cannot convert {from.Category} ({from.Symbol}) to {to.Category} ({to.Symbol}); " +
                $"{from.Category} units are: {string.Join(", ", UnitCatalog.SymbolsOf(from.Category))}.");
        }
        if (from.Category == "temperature" && UnitCatalog.ToKelvin(value, from.Symbol) < 0)
        {
            throw new ToolArgumentException($"{value} {from.Symbol} is below absolute zero.");
        }

        return Structured(new JsonObject
        {
            ["value"] = value,
            ["from"] = from.Symbol,
            ["to"] = to.Symbol,
            ["category"] = from.Category,
            ["result"] = RoundToSignificantDigits(UnitCatalog.Convert(value, from, to)),
        });
    }

    // 15 significant digits drop binary noise (0.1 + 0.2) without zeroing tiny values as decimal rounding would.
    private static double RoundToSignificantDigits(double value) =>
        double.Parse(value.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static UnitCatalog.Unit FindUnit(string text, string argument) =>
        UnitCatalog.Find(text) ?? throw new ToolArgumentException(
            $"'{argument}': unknown unit '{text}'. Known: " +
            string.Join("; ", UnitCatalog.Categories.Select(c => $"{c}: {string.Join(" ", UnitCatalog.SymbolsOf(c))}")) + ".");
}
