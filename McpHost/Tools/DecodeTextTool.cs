using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed class DecodeTextTool() : HostTool(
    "decode_text",
    "Decode text",
    "Decodes base64, base64url, hex or url (percent) encoded text back to UTF-8 text; says so when the input is malformed or the bytes are not UTF-8.",
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
        return Structured(new JsonObject { ["encoding"] = encoding, ["result"] = TextEncodings.Decode(encoding, text) });
    }
}
