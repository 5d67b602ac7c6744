namespace Platform.Api.Chat.Wire;

public sealed class WireUsage
{
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public long TotalTokens { get; set; }
    public WirePromptTokensDetails? PromptTokensDetails { get; set; }
    public WireCompletionTokensDetails? CompletionTokensDetails { get; set; }
}

public sealed class WirePromptTokensDetails
{
    public long CachedTokens { get; set; }
}

public sealed class WireCompletionTokensDetails
{
    public long ReasoningTokens { get; set; }
}
