using System.Text.Json;
using Microsoft.Extensions.AI;
using Platform.Api.Chat;
using Platform.Api.Chat.Wire;

namespace Platform.Api.Tests;

public sealed class ChatRequestMappingTests
{
    private static ParsedChatRequest Map(string json) =>
        ChatRequestMapper.Map(JsonSerializer.Deserialize(json, ChatWireJsonContext.Default.ChatCompletionRequest)!);

    [Fact]
    public void McpToolEntriesAreKeptRawForTheToolMiddlewareAndFunctionsBecomeDeclarations()
    {
        var parsed = Map("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"mcp","server_label":"mcphost","allowed_tools":["echo"]},
                      {"type":"function","function":{"name":"lookup","description":"Find.","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}],
             "tool_choice":"required"}
            """);

        var mcp = Assert.Single(parsed.ExtensionTools);
        Assert.Equal("mcphost", mcp.GetProperty("server_label").GetString());
        var function = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(parsed.Options.Tools!));
        Assert.Equal("lookup", function.Name);
        Assert.Equal("string", function.JsonSchema.GetProperty("properties").GetProperty("q").GetProperty("type").GetString());
        Assert.IsType<RequiredChatToolMode>(parsed.Options.ToolMode);
    }

    [Fact]
    public void WireOptionsMapToChatOptions()
    {
        var parsed = Map("""
            {"model":"m","messages":[{"role":"developer","content":"be json"},{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}}]}],
             "temperature":0.3,"top_p":0.9,"max_tokens":10,"max_completion_tokens":20,"stop":"X","seed":5,"user":"u1",
             "response_format":{"type":"json_object"},"stream":true,"stream_options":{"include_usage":true},
             "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}}}
            """);

        Assert.Equal(0.3f, parsed.Options.Temperature);
        Assert.Equal(0.9f, parsed.Options.TopP);
        Assert.Equal(20, parsed.Options.MaxOutputTokens);
        Assert.Equal(["X"], parsed.Options.StopSequences!);
        Assert.Equal(5, parsed.Options.Seed);
        Assert.Same(ChatResponseFormat.Json, parsed.Options.ResponseFormat);
        Assert.Equal("f", Assert.IsType<RequiredChatToolMode>(parsed.Options.ToolMode).RequiredFunctionName);
        Assert.True(parsed.Stream);
        Assert.True(parsed.IncludeUsage);
        Assert.Equal("developer", parsed.Messages[0].Role.Value);
        var image = Assert.IsType<DataContent>(parsed.Messages[1].Contents[1]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal("high", image.AdditionalProperties!["detail"]);
    }

    [Fact]
    public void AssistantToolCallsAndToolResultsBecomeFunctionContents()
    {
        var parsed = Map("""
            {"model":"m","messages":[{"role":"user","content":"w?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{\"city\":\"Oslo\"}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"sunny"}]}
            """);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(parsed.Messages[1].Contents));
        Assert.Equal("c1", call.CallId);
        Assert.Equal("Oslo", ((JsonElement)call.Arguments!["city"]!).GetString());
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(parsed.Messages[2].Contents));
        Assert.Equal("c1", result.CallId);
        Assert.Equal("sunny", result.Result);
    }
}
