using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed class DateArithmeticTool() : HostTool(
    "date_arithmetic",
    "Date arithmetic",
    "Adds or subtracts a calendar duration to a date/time (years and months clamp to the month's last day, e.g. Jan 31 + 1 month = Feb 28/29), " +
    "and/or measures the difference between two date/times (total days, hours, and whole years/months/days). Also reports weekday, ISO week and day of year.",
    """
    {
      "type": "object",
      "properties": {
        "date": { "type": "string", "description": "ISO 8601 date or date/time, e.g. 2026-01-31 or 2026-01-31T10:00:00Z." },
        "add": {
          "type": "object",
          "description": "Amounts to add; negative values subtract.",
          "properties": {
            "years": { "type": "integer" }, "months": { "type": "integer" }, "weeks": { "type": "integer" }, "days": { "type": "integer" },
            "hours": { "type": "number" }, "minutes": { "type": "number" }, "seconds": { "type": "number" }
          },
          "additionalProperties": false
        },
        "until": { "type": "string", "description": "Optional second ISO 8601 date/time: the difference from the (shifted) date to it is returned." }
      },
      "required": ["date"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "date": { "type": "string" },
        "result": { "$ref": "#/$defs/dateInfo" },
        "difference": {
          "type": "object",
          "properties": {
            "until": { "$ref": "#/$defs/dateInfo" },
            "totalDays": { "type": "number" }, "totalHours": { "type": "number" }, "totalSeconds": { "type": "number" },
            "years": { "type": "integer" }, "months": { "type": "integer" }, "days": { "type": "integer" }
          }
        }
      },
      "required": ["date", "result"],
      "$defs": {
        "dateInfo": {
          "type": "object",
          "properties": {
            "dateTime": { "type": "string" }, "dayOfWeek": { "type": "string" }, "isoWeek": { "type": "integer" },
            "dayOfYear": { "type": "integer" }, "isLeapYear": { "type": "boolean" }
          }
        }
      }
    }
    """)
{
    private static readonly string[] AddUnits = ["years", "months", "weeks", "days", "hours", "minutes", "seconds"];

    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var dateText = arguments.GetString("date");
        var start = Parse(dateText, "date");
        var result = arguments.GetOptional("add") is { } add ? Add(start, add) : start;

        var output = new JsonObject { ["date"] = dateText, ["result"] = Describe(result) };
        if (arguments.GetOptionalString("until") is { } untilText)
        {
            output["difference"] = Difference(result, Parse(untilText, "until"));
        }
        return Structured(output);
    }

    private static DateTimeOffset Parse(string text, string argument)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }
        throw new ToolArgumentException($"'{argument}' is not an ISO 8601 date: '{text}'. Examples: 2026-02-28, 2026-02-28T14:30:00+01:00.");
    }

    private static DateTimeOffset Add(DateTimeOffset start, JsonElement add)
    {
        if (add.ValueKind != JsonValueKind.Object)
        {
            throw new ToolArgumentException("'add' must be an object such as {\"months\": 1, \"days\": -2}.");
        }
        try
        {
            var value = start;
            foreach (var property in add.EnumerateObject())
            {
                if (!AddUnits.Contains(property.Name))
                {
                    throw new ToolArgumentException($"'add.{property.Name}' is not a known unit; use {string.Join(", ", AddUnits)}.");
                }
                if (property.Value.ValueKind != JsonValueKind.Number)
                {
                    throw new ToolArgumentException($"'add.{property.Name}' must be a number.");
                }
                value = property.Name switch
                {
                    "years" => value.AddYears(WholeNumber(property)),
                    "months" => value.AddMonths(WholeNumber(property)),
                    "weeks" => value.AddDays(7.0 * WholeNumber(property)),
                    "days" => value.AddDays(WholeNumber(property)),
                    "hours" => value.AddHours(property.Value.GetDouble()),
                    "minutes" => value.AddMinutes(property.Value.GetDouble()),
                    _ => value.AddSeconds(property.Value.GetDouble()),
                };
            }
            return value;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ToolArgumentException("The result falls outside the years 1 to 9999.");
        }
    }

    private static int WholeNumber(JsonProperty property) =>
        property.Value.TryGetInt32(out var number) ? number : throw new ToolArgumentException($"'add.{property.Name}' must be a whole number.");

    private static JsonObject Difference(DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from;
        // Whole calendar years, months and days, counted from the earlier date towards the later one.
        var (earlier, later, sign) = span >= TimeSpan.Zero ? (from, to, 1) : (to, from, -1);
        var months = (later.Year - earlier.Year) * 12 + later.Month - earlier.Month;
        if (earlier.AddMonths(months) > later)
        {
            months--;
        }
        var days = (int)(later - earlier.AddMonths(months)).TotalDays;
        return new JsonObject
        {
            ["until"] = Describe(to),
            ["totalDays"] = Math.Round(span.TotalDays, 6),
            ["totalHours"] = Math.Round(span.TotalHours, 6),
            ["totalSeconds"] = span.TotalSeconds,
            ["years"] = sign * (months / 12),
            ["months"] = sign * (months % 12),
            ["days"] = sign * days,
        };
    }

    private static JsonObject Describe(DateTimeOffset value) => new()
    {
        ["dateTime"] = value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["dayOfWeek"] = value.DayOfWeek.ToString(),
        ["isoWeek"] = ISOWeek.GetWeekOfYear(value.DateTime),
        ["dayOfYear"] = value.DayOfYear,
        ["isLeapYear"] = DateTime.IsLeapYear(value.Year),
    };
}
