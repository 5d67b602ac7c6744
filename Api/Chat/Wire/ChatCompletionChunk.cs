namespace Platform.Api.Chat.Wire;

public sealed class ChatCompletionChunk
{
    public required string Id { get; set; }
    public string Object { get; set; } = "chat.completion.chunk";
    public long Created { get; set; }
    public required string Model { get; set; }
    public required List<WireChunkChoice> Choices { get; set; }
    public WireUsage? Usage { get; set; }
}

public sealed class WireChunkChoice
{
    public int Index { get; set; }
    public required WireDelta Delta { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }
}

public sealed class WireDelta
{
    public string? Role { get; set; }
    public string? Content { get; set; }
    public List<WireToolCall>? ToolCalls { get; set; }
}
