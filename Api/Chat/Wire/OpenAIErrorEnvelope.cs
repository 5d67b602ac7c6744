using System.Text.Json.Serialization;

namespace Platform.Api.Chat.Wire;

/// <summary>OpenAI's error object: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed class OpenAIErrorEnvelope
{
    public required OpenAIError Error { get; set; }
}

public sealed class OpenAIError
{
    public required string Message { get; set; }
    public required string Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; set; }
}
