using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Pipeline;
using Platform.Api.Providers.Offline;

namespace Platform.Api.Tests.Pipeline;

public sealed class ChatPipelineOrderTests
{
    [Fact]
    public async Task MiddlewareRunsOutermostFirstByStageWhateverTheRegistrationOrder()
    {
        var journal = new List<string>();
        var services = new ServiceCollection();
        foreach (var stage in new[] { ChatPipelineStage.ResponseCache, ChatPipelineStage.Telemetry, ChatPipelineStage.UsageCapture, ChatPipelineStage.ToolInvocation })
        {
            services.AddChatMiddleware(stage, (inner, _) => new RecordingChatClient(inner, stage.ToString(), journal));
        }
        services.AddSingleton<ChatPipelineBuilder>();
        using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<ChatPipelineBuilder>().Build(new OfflineChatClient("offline"));
        await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal(["Telemetry", "ToolInvocation", "UsageCapture", "ResponseCache"], journal);
    }

    [Fact]
    public async Task WithinOneStageTheFirstRegisteredIsOutermost()
    {
        var journal = new List<string>();
        var services = new ServiceCollection();
        services.AddChatMiddleware(ChatPipelineStage.UsageCapture, (inner, _) => new RecordingChatClient(inner, "first", journal));
        services.AddChatMiddleware(ChatPipelineStage.UsageCapture, (inner, _) => new RecordingChatClient(inner, "second", journal));
        services.AddChatMiddleware(ChatPipelineStage.Telemetry, (inner, _) => new RecordingChatClient(inner, "telemetry", journal));
        services.AddSingleton<ChatPipelineBuilder>();
        using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<ChatPipelineBuilder>().Build(new OfflineChatClient("offline"));
        await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal(["telemetry", "first", "second"], journal);
    }

    [Fact]
    public void PipelineIsBuiltOncePerProviderNotPerRequest()
    {
        var builds = 0;
        var services = new ServiceCollection();
        services.AddChatMiddleware(ChatPipelineStage.ResponseCache, (inner, _) => { builds++; return inner; });
        services.AddSingleton<ChatPipelineBuilder>();
        using var provider = services.BuildServiceProvider();
        var builder = provider.GetRequiredService<ChatPipelineBuilder>();

        var pipeline = builder.Build(new OfflineChatClient("offline"));
        _ = pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "one")]);
        _ = pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "two")]);

        Assert.Equal(1, builds);
    }
}
