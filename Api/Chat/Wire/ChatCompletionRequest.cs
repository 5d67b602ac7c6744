using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Api.Chat.Wire;

/// <summary>The body of <c>POST /v1/chat/completions</c>; fields OpenAI accepts that we do not use are ignored.</summary>
public sealed class ChatCompletionRequest
{
    public string? Model { get; set; }
    public List<WireMessage>? Messages { get; set; }
    public bool? Stream { get; set; }
    public WireStreamOptions? StreamOptions { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    public float? FrequencyPenalty { get; set; }
    public float? PresencePenalty { get; set; }
    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }

    /// <summary>A string or an array of strings.</summary>
    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }
    public WireResponseFormat? ResponseFormat { get; set; }
    public string? User { get; set; }
    public int? N { get; set; }
    public bool? Logprobs { get; set; }

    /// <summary>Function tools, and tool types other features understand (for example <c>mcp</c>).</summary>
    public List<JsonElement>? Tools { get; set; }

    /// <summary><c>"auto" | "none" | "required"</c> or <c>{"type":"function","function":{"name":...}}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    /// <summary>
    /// Every other top-level field (<c>reasoning_effort</c>, <c>logit_bias</c>, <c>metadata</c>, <c>service_tier</c>,
    /// fields newer than this gateway...): not interpreted here, forwarded to the provider as sent.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

public sealed class WireStreamOptions
{
    public bool? IncludeUsage { get; set; }
}
