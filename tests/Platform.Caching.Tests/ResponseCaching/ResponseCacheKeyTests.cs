using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Caching;
using Platform.Api.Pipeline;

namespace Platform.Caching.Tests.ResponseCaching;

public sealed class ResponseCacheKeyTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.System, "Be terse."), new(ChatRole.User, "Capital of France?")];

    [Fact]
    public void SameRequestGivesTheSameKeyOnEveryInstance()
    {
        var first = ResponseCacheKey.Compute(Context(), Conversation, Options());
        var second = ResponseCacheKey.Compute(Context(), [.. Conversation.Select(m => new ChatMessage(m.Role, m.Text))], Options());

        Assert.Equal(first, second);
        Assert.Matches("^chat:v1:[0-9a-f]{64}$", first);
    }

    [Fact]
    public void EverythingThatChangesTheAnswerChangesTheKey()
    {
        var baseline = ResponseCacheKey.Compute(Context(), Conversation, Options());
        string[] variants =
        [
            ResponseCacheKey.Compute(Context(tenant: "other"), Conversation, Options()),
            ResponseCacheKey.Compute(Context(provider: "openai"), Conversation, Options()),
            ResponseCacheKey.Compute(Context(model: "gpt-4o"), Conversation, Options()),
            ResponseCacheKey.Compute(Context(), [.. Conversation, new(ChatRole.User, "And Spain?")], Options()),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.Temperature = 0.5f)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.TopP = 0.9f)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.MaxOutputTokens = 10)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.Seed = 1)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.StopSequences = ["\n"])),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.FrequencyPenalty = 1)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.PresencePenalty = 1)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.ResponseFormat = ChatResponseFormat.Json)),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema("answer"), "capital"))),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.Tools = [Tool("lookup", "city")])),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => o.Tools = [Tool("lookup", "town")])),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => { o.Tools = [Tool("lookup", "city")]; o.ToolMode = ChatToolMode.RequireAny; })),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => { o.Tools = [Tool("lookup", "city")]; o.ToolMode = ChatToolMode.RequireSpecific("lookup"); })),
            ResponseCacheKey.Compute(Context(), Conversation, Options(o => { o.Tools = [Tool("lookup", "city")]; o.ToolMode = ChatToolMode.None; })),
        ];

        Assert.DoesNotContain(baseline, variants);
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    private static ChatRequestContext Context(string tenant = "tenant-a", string provider = "offline", string model = "offline") => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        TenantId = tenant,
        ProviderName = provider,
        ModelId = model,
        RequestedModel = model,
    };

    private static ChatOptions Options(Action<ChatOptions>? customize = null)
    {
        var options = new ChatOptions();
        customize?.Invoke(options);
        return options;
    }

    private static JsonElement Schema(string property) => JsonDocument.Parse(
        $$$"""{"type":"object","properties":{"{{{property}}}":{"type":"string"}},"required":["{{{property}}}"]}""").RootElement;

    private static AIFunctionDeclaration Tool(string name, string parameter) =>
        AIFunctionFactory.CreateDeclaration(name, "Looks things up", Schema(parameter));
}
