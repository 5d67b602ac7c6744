using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed class ConvertTimeZoneTool(TimeProvider time) : HostTool(
    "convert_time_zone",
    "Convert time zones",
    "Converts a date and time from one IANA time zone to another (e.g. Europe/Paris to America/New_York), applying daylight saving rules. " +
    "Without 'dateTime' it converts the current time. A dateTime with an offset (2026-03-29T01:30:00Z) is an absolute instant; without one it is read in 'from'.",
    """
    {
      "type": "object",
      "properties": {
        "dateTime": { "type": "string", "description": "ISO 8601, e.g. 2026-07-01T09:00:00 or 2026-07-01T09:00:00+02:00. Default: now." },
        "from": { "type": "string", "description": "IANA zone of a dateTime without offset, e.g. Europe/Berlin. Default: UTC." },
        "to": { "type": "string", "description": "IANA zone to convert to, e.g. Asia/Tokyo." }
      },
      "required": ["to"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "source": { "$ref": "#/$defs/zonedTime" },
        "target": { "$ref": "#/$defs/zonedTime" },
        "offsetDifferenceHours": { "type": "number" }
      },
      "required": ["source", "target", "offsetDifferenceHours"],
      "$defs": {
        "zonedTime": {
          "type": "object",
          "properties": {
            "timeZone": { "type": "string" },
            "dateTime": { "type": "string" },
            "utcOffset": { "type": "string" },
            "isDaylightSavingTime": { "type": "boolean" },
            "abbreviation": { "type": "string" }
          },
          "required": ["timeZone", "dateTime", "utcOffset", "isDaylightSavingTime"]
        }
      }
    }
    """)
{
    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var from = FindZone(arguments.GetOptionalString("from") ?? "UTC", "from");
        var to = FindZone(arguments.GetString("to"), "to");
        var instant = ReadInstant(arguments.GetOptionalString("dateTime"), from);

        var source = TimeZoneInfo.ConvertTime(instant, from);
        var target = TimeZoneInfo.ConvertTime(instant, to);
        return Structured(new JsonObject
        {
            ["source"] = Describe(from, source),
            ["target"] = Describe(to, target),
            ["offsetDifferenceHours"] = (target.Offset - source.Offset).TotalHours,
        });
    }

    private DateTimeOffset ReadInstant(string? text, TimeZoneInfo from)
    {
        if (text is null)
        {
            return time.GetUtcNow();
        }
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            throw new ToolArgumentException($"'dateTime' is not an ISO 8601 date/time: '{text}'. Example: 2026-07-01T09:00:00.");
        }
        if (parsed.Kind != DateTimeKind.Unspecified)
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces);
        }
        if (from.IsInvalidTime(parsed))
        {
            throw new ToolArgumentException($"{parsed:yyyy-MM-ddTHH:mm:ss} does not exist in {from.Id} (clocks skip it at the daylight saving change).");
        }
        // An ambiguous local time (clocks went back) is read as the first, daylight-saving occurrence.
        var offset = from.IsAmbiguousTime(parsed) ? from.GetAmbiguousTimeOffsets(parsed).Max() : from.GetUtcOffset(parsed);
        return new DateTimeOffset(parsed, offset);
    }

    private static TimeZoneInfo FindZone(string id, string argument)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone))
        {
            return zone;
        }
        throw new ToolArgumentException($"'{argument}': unknown time zone '{id}'. Use an IANA name such as Europe/London, America/Los_Angeles, Asia/Kolkata or UTC.");
    }

    private static JsonObject Describe(TimeZoneInfo zone, DateTimeOffset value)
    {
        var daylight = zone.IsDaylightSavingTime(value);
        return new JsonObject
        {
            ["timeZone"] = zone.Id,
            ["dateTime"] = value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["utcOffset"] = FormatOffset(value.Offset),
            ["isDaylightSavingTime"] = daylight,
            ["abbreviation"] = daylight ? zone.DaylightName : zone.StandardName,
        };
    }

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
