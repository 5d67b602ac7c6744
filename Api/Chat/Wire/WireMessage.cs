using System.Text.Json;

namespace Platform.Api.Chat.Wire;

/// <summary>A message of a request: <c>content</c> is a string, an array of parts, or null.</summary>
public sealed class WireMessage
{
    public string? Role { get; set; }
    public JsonElement? Content { get; set; }
    public string? Name { get; set; }
    public List<WireToolCall>? ToolCalls { get; set; }
    public string? ToolCallId { get; set; }
}
