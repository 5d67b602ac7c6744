using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Platform.McpHost.Tools.JsonPath;

namespace Platform.McpHost.Tools;

internal sealed class JsonQueryTool() : HostTool(
    "json_query",
    "Query JSON with JSONPath",
    "Selects values from a JSON document with JSONPath: $ (root), .name or ['name'], [0] / [-1] (from the end), [0,2], [1:3] (slice), [*] / .* (all children), " +
    "..name (recursive descent), and filters [?(@.price < 10)], [?(@.tags)], with == != < <= > >=. Returns every match with its normalized path.",
    """
    {
      "type": "object",
      "properties": {
        "json": { "description": "The document: any JSON value, or a string holding JSON text." },
        "path": { "type": "string", "description": "e.g. $.store.book[?(@.price < 10)].title", "maxLength": 1000 },
        "maxResults": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 }
      },
      "required": ["json", "path"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "path": { "type": "string" },
        "count": { "type": "integer", "description": "All matches, including any beyond maxResults." },
        "truncated": { "type": "boolean" },
        "matches": {
          "type": "array",
          "items": { "type": "object", "properties": { "path": { "type": "string" }, "value": {} }, "required": ["path", "value"] }
        }
      },
      "required": ["path", "count", "truncated", "matches"]
    }
    """)
{
    private const int MaxDocumentLength = 1_000_000;

    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var document = ReadDocument(arguments.GetOptional("json") ?? throw new ToolArgumentException("'json' is required."));
        var path = arguments.GetString("path");
        var maxResults = arguments.GetInt("maxResults", 100, 1, 1000);

        var matches = JsonPathQuery.Parse(path).Evaluate(document);
        var output = new JsonArray();
        foreach (var match in matches.Take(maxResults))
        {
            output.Add(new JsonObject { ["path"] = match.Path, ["value"] = match.Value?.DeepClone() });
        }
        return Structured(new JsonObject
        {
            ["path"] = path,
            ["count"] = matches.Count,
            ["truncated"] = matches.Count > maxResults,
            ["matches"] = output,
        });
    }

    private static JsonNode? ReadDocument(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            return JsonNode.Parse(json.GetRawText());
        }
        var text = json.GetString()!;
        if (text.Length > MaxDocumentLength)
        {
            throw new ToolArgumentException($"'json' is longer than {MaxDocumentLength} characters.");
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ToolArgumentException($"'json' is a string but not valid JSON text: {ex.Message}");
        }
    }
}
