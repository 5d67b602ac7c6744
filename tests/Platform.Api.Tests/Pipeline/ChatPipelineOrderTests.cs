using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Caching;
using Platform.Api.Pipeline;
using Platform.Api.Providers;
using Platform.Api.Providers.Offline;
using Platform.Api.Tests.Infrastructure;
using Platform.Api.Usage;

namespace Platform.Api.Tests.Pipeline;

/// <summary>The pipeline the application itself builds, taken from its container, not one built by the test.</summary>
public sealed class ChatPipelineOrderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly PropertyInfo InnerClient =
        typeof(DelegatingChatClient).GetProperty("InnerClient", BindingFlags.Instance | BindingFlags.NonPublic)!;

    [Fact]
    public void TheApplicationsPipelineRunsTelemetryThenToolsThenUsageThenCacheThenTheProvider()
    {
        var pipeline = api.Services.GetRequiredKeyedService<IChatClient>("offline");

        var stages = Stages(pipeline).Select(s => s.GetType()).ToArray();

        Assert.Equal(
            [typeof(OpenTelemetryChatClient), typeof(FunctionInvokingChatClient), typeof(ToolSpanSourceChatClient), typeof(UsageCaptureChatClient), typeof(ResponseCachingChatClient), typeof(OfflineChatClient)],
            stages);
    }

    [Fact]
    public void EveryOpenAICompatibleProviderHasTheSameStagesAboveItsClient()
    {
        var stages = Stages(api.Services.GetRequiredKeyedService<IChatClient>("stub")).ToArray();

        Assert.Equal(
            [typeof(OpenTelemetryChatClient), typeof(FunctionInvokingChatClient), typeof(ToolSpanSourceChatClient), typeof(UsageCaptureChatClient), typeof(ResponseCachingChatClient)],
            stages.Take(5).Select(s => s.GetType()));
        Assert.Equal("openai", stages[5].GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Fact]
    public void ModelsOfAProviderShareItsOnePipelineBuiltOnce()
    {
        var registry = api.Services.GetRequiredService<ProviderRegistry>();

        Assert.True(registry.TryResolve(ApiFactory.StubModel, out var model));
        Assert.True(registry.TryResolve(ApiFactory.StubAlias, out var alias));
        Assert.Same(model.Pipeline, alias.Pipeline);
        Assert.Same(api.Services.GetRequiredKeyedService<IChatClient>("stub"), model.Pipeline);
    }

    [Fact]
    public void TheToolLoopRunsSeveralToolsAtOnceForAtMostTheConfiguredRounds()
    {
        var tools = api.Services.GetRequiredKeyedService<IChatClient>("offline").GetService<FunctionInvokingChatClient>()!;

        Assert.True(tools.AllowConcurrentInvocation);
        Assert.True(tools.TerminateOnUnknownCalls);
        Assert.Equal(api.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Platform.Api.Tools.McpOptions>>().Value.MaxToolRounds,
            tools.MaximumIterationsPerRequest);
    }

    private static IEnumerable<IChatClient> Stages(IChatClient client)
    {
        while (client is DelegatingChatClient delegating)
        {
            yield return client;
            client = (IChatClient)InnerClient.GetValue(delegating)!;
        }
        yield return client;
    }
}
