using Microsoft.Extensions.AI;
using Platform.Api.Chat;
using Platform.Api.Routing;

namespace Platform.Api.Tests.Routing;

public sealed class DeploymentLimitTests
{
    [Fact]
    public async Task ADeploymentAtItsLimitOfConcurrentCallsIsPassedOverAndWhenAllAreTheCallerGetsA429()
    {
        var held = new Held();
        var limited = Deployment("limited", 0, maxConcurrent: 1, held);
        var spare = Deployment("spare", 1, maxConcurrent: 1, held);
        var routing = new DeploymentRoutingChatClient(new RoutedModel("m", [[limited], [spare]]), TimeProvider.System);

        var first = routing.GetResponseAsync([new ChatMessage(ChatRole.User, "1")]);
        var second = routing.GetResponseAsync([new ChatMessage(ChatRole.User, "2")]);
        var third = await Assert.ThrowsAsync<ChatGatewayException>(() => routing.GetResponseAsync([new ChatMessage(ChatRole.User, "3")]));

        Assert.Equal(1, limited.InFlight);
        Assert.Equal(1, spare.InFlight);
        Assert.Equal(429, third.StatusCode);
        Assert.Equal("model_at_capacity", third.Code);
        held.Release();
        await Task.WhenAll(first, second);
        Assert.Equal(0, limited.InFlight + spare.InFlight);
    }

    private static Deployment Deployment(string name, int priority, int maxConcurrent, IChatClient client) =>
        new(name, "m", name, "openai", "m", 1, priority, maxConcurrent, client, new DeploymentHealth(TimeProvider.System, 3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)));

    /// <summary>Holds every call until released.</summary>
    private sealed class Held : IChatClient
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.SetResult();

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await _release.Task;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "done"));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
