using System.Text.Json;

namespace Platform.Api.Chat.Wire;

public sealed class WireResponseFormat
{
    /// <summary><c>text | json_object | json_schema</c>.</summary>
    public string? Type { get; set; }
    public WireJsonSchema? JsonSchema { get; set; }
}

public sealed class WireJsonSchema
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Schema { get; set; }
    public bool? Strict { get; set; }
}
