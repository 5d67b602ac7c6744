using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Platform.Api.Chat;

/// <summary>A validated chat request in Microsoft.Extensions.AI terms.</summary>
public sealed record ParsedChatRequest(
    string Model,
    List<ChatMessage> Messages,
    ChatOptions Options,
    bool Stream,
    bool IncludeUsage,
    IReadOnlyList<JsonElement> ExtensionTools);
