using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed class EncodeTextTool() : HostTool(
    "encode_text",
    "Encode text",
    "Encodes UTF-8 text as base64, base64url (URL-safe, no padding), hex, or url (percent-encoding, RFC 3986).",
    """
    {
      "type": "object",
      "properties": {
        "text": { "type": "string", "maxLength": 1000000 },
        "encoding": { "type": "string", "enum": ["base64", "base64url", "hex", "url"] }
      },
      "required": ["text", "encoding"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": { "encoding": { "type": "string" }, "result": { "type": "string" } },
      "required": ["encoding", "result"]
    }
    """)
{
    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var text = arguments.GetString("text");
        var encoding = arguments.GetChoice("encoding", TextEncodings.Names);
        return Structured(new JsonObject { ["encoding"] = encoding, ["result"] = TextEncodings.Encode(encoding, text) });
    }
}
