namespace Platform.Api.Chat.Wire;

/// <summary>A tool call in an assistant message, or a fragment of one in a stream (then <see cref="Index"/> is set).</summary>
public sealed class WireToolCall
{
    public int? Index { get; set; }
    public string? Id { get; set; }
    public string? Type { get; set; }
    public WireFunctionCall? Function { get; set; }
}

public sealed class WireFunctionCall
{
    public string? Name { get; set; }
    public string? Arguments { get; set; }
}
