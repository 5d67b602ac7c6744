using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed class GenerateUuidTool(TimeProvider time) : HostTool(
    "generate_uuid",
    "Generate UUIDs",
    "Generates RFC 9562 UUIDs: version 4 (random) or version 7 (time-ordered: sortable by creation time, good for database keys). Up to 100 at once.",
    """
    {
      "type": "object",
      "properties": {
        "version": { "type": "integer", "enum": [4, 7], "default": 4 },
        "count": { "type": "integer", "minimum": 1, "maximum": 100, "default": 1 },
        "uppercase": { "type": "boolean", "default": false }
      },
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "version": { "type": "integer" },
        "uuids": { "type": "array", "items": { "type": "string" } }
      },
      "required": ["version", "uuids"]
    }
    """)
{
    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var version = arguments.GetInt("version", 4, 4, 7);
        if (version is not (4 or 7))
        {
            throw new ToolArgumentException($"'version' must be 4 or 7; got {version}.");
        }
        var count = arguments.GetInt("count", 1, 1, 100);
        var uppercase = arguments.GetBool("uppercase", false);

        var uuids = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var uuid = (version == 7 ? Guid.CreateVersion7(time.GetUtcNow()) : Guid.NewGuid()).ToString();
            uuids.Add(uppercase ? uuid.ToUpperInvariant() : uuid);
        }
        return Structured(new JsonObject { ["version"] = version, ["uuids"] = uuids });
    }
}
