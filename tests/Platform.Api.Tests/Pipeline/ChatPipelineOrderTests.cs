using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Caching;
using Platform.Api.Pipeline;
using Platform.Api.Providers;
using Platform.Api.Providers.Offline;
using Platform.Api.Routing;
using Platform.Api.Tests.Infrastructure;
using Platform.Api.Usage;

namespace Platform.Api.Tests.Pipeline;

/// <summary>The pipeline the application itself builds, taken from its container, not one built by the test.</summary>
public sealed class ChatPipelineOrderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly PropertyInfo InnerClient =
        typeof(DelegatingChatClient).GetProperty("InnerClient", BindingFlags.Instance | BindingFlags.NonPublic)!;

    [Fact]
    public void TheApplicationsPipelineRunsTelemetryThenToolsThenUsageThenCacheThenRoutingToTheProvider()
    {
        var stages = Stages(Pipeline("offline")).Select(s => s.GetType()).ToArray();

        Assert.Equal(
            [typeof(OpenTelemetryChatClient), typeof(FunctionInvokingChatClient), typeof(ToolSpanSourceChatClient), typeof(UsageCaptureChatClient), typeof(ResponseCachingChatClient), typeof(DeploymentRoutingChatClient)],
            stages);
        var routing = (DeploymentRoutingChatClient)Stages(Pipeline("offline")).Last();
        Assert.IsType<OfflineChatClient>(Assert.Single(routing.Model.Candidates).Client);
    }

    [Fact]
    public void EveryOpenAICompatibleModelHasTheSameStagesAboveItsRouting()
    {
        var stages = Stages(Pipeline(ApiFactory.StubModel)).ToArray();

        Assert.Equal(
            [typeof(OpenTelemetryChatClient), typeof(FunctionInvokingChatClient), typeof(ToolSpanSourceChatClient), typeof(UsageCaptureChatClient), typeof(ResponseCachingChatClient), typeof(DeploymentRoutingChatClient)],
            stages.Select(s => s.GetType()));
        // The GenAI span names the provider of the model's preferred deployment.
        Assert.Equal("openai", stages[5].GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Fact]
    public void AModelAndItsAliasesShareOnePipelineAndTheProvidersClient()
    {
        var registry = api.Services.GetRequiredService<ProviderRegistry>();

        Assert.True(registry.TryResolve(ApiFactory.StubModel, out var model));
        Assert.True(registry.TryResolve(ApiFactory.StubAlias, out var alias));
        Assert.Same(model.Pipeline, alias.Pipeline);
        Assert.Same(api.Services.GetRequiredKeyedService<IChatClient>("stub"), model.Deployments.Primary.Client);
    }

    [Fact]
    public void TheToolLoopRunsSeveralToolsAtOnceForAtMostTheConfiguredRounds()
    {
        var tools = Pipeline("offline").GetService<FunctionInvokingChatClient>()!;

        Assert.True(tools.AllowConcurrentInvocation);
        Assert.True(tools.TerminateOnUnknownCalls);
        Assert.Equal(api.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Platform.Api.Tools.McpOptions>>().Value.MaxToolRounds,
            tools.MaximumIterationsPerRequest);
    }

    private IChatClient Pipeline(string model) =>
        api.Services.GetRequiredService<ProviderRegistry>().TryResolve(model, out var route) ? route.Pipeline : throw new KeyNotFoundException(model);

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
