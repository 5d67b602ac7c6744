namespace Platform.Api.Chat;

/// <summary>The <c>Chat</c> configuration section.</summary>
public sealed class ChatGatewayOptions
{
    public const string SectionName = "Chat";

    /// <summary>Larger request bodies are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;
}
