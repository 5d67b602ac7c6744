using System.Text.Json;

namespace Platform.Api.Chat.Wire;

public sealed class WireTool
{
    public string? Type { get; set; }
    public WireFunctionDefinition? Function { get; set; }
}

public sealed class WireFunctionDefinition
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Parameters { get; set; }
    public bool? Strict { get; set; }
}
