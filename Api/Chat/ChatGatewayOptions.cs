namespace Platform.Api.Chat;

/// <summary>The <c>Chat</c> configuration section.</summary>
public sealed class ChatGatewayOptions
{
    public const string SectionName = "Chat";

    /// <summary>Larger request bodies are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>More messages in one request are refused with 400: each becomes objects, a cache key part and tokens.</summary>
    public int MaxMessages { get; set; } = 2048;

    /// <summary>More tool definitions in one request are refused with 400 (OpenAI's own limit is 128).</summary>
    public int MaxTools { get; set; } = 128;

    /// <summary>A tool call's <c>arguments</c> text in the history past this (UTF-8 bytes) is refused with 400; it is parsed into objects.</summary>
    public int MaxToolCallArgumentsBytes { get; set; } = 1024 * 1024;
}
