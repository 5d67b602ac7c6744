namespace Platform.Api.Chat.Wire;

public sealed class ChatCompletionResponse
{
    public required string Id { get; set; }
    public string Object { get; set; } = "chat.completion";
    public long Created { get; set; }
    public required string Model { get; set; }
    public required List<WireChoice> Choices { get; set; }
    public WireUsage? Usage { get; set; }
    public string? SystemFingerprint { get; set; }
}

public sealed class WireChoice
{
    public int Index { get; set; }
    public required WireResponseMessage Message { get; set; }
    public string? FinishReason { get; set; }
}

public sealed class WireResponseMessage
{
    public string Role { get; set; } = "assistant";

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? Content { get; set; }

    public List<WireToolCall>? ToolCalls { get; set; }
}
