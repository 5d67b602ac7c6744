using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Api.Usage;

namespace Platform.Usage.Tests;

/// <summary>The capture middleware over a scripted model (the one stub allowed: the provider upstream).</summary>
public sealed class UsageCaptureMiddlewareTests
{
    private readonly List<UsageRecord> _records = [];
    private readonly ChatRequestContextAccessor _contexts = new();

    public UsageCaptureMiddlewareTests()
    {
        _contexts.Current = new ChatRequestContext
        {
            RequestId = "req-capture",
            TenantId = "tenant-x",
            ProviderName = "scripted",
            ModelId = "scripted-model",
            RequestedModel = "scripted-model",
        };
    }

    [Fact]
    public async Task StreamAbandonedByTheClientIsRecordedWithWhatWasConsumed()
    {
        var client = Capture(new ScriptedModel());

        await foreach (var _ in client.GetStreamingResponseAsync("hi"))
        {
            break; // the client went away after the first chunk
        }

        var record = Assert.Single(_records);
        Assert.Equal(UsageRecordStatus.ClientDisconnected, record.Status);
        Assert.NotNull(record.TimeToFirstTokenMs);
        // The provider's usage comes in the last chunk, which was never read: what was streamed is counted.
        Assert.True(record.OutputTokens > 0);
        Assert.True(record.InputTokens > 0);
        Assert.True(record.Estimated);
        Assert.Equal("req-capture", record.RequestId);
        Assert.Equal("tenant-x", record.TenantId);
    }

    [Fact]
    public async Task CompletedStreamIsRecordedWithItsUsage()
    {
        var client = Capture(new ScriptedModel());

        await foreach (var _ in client.GetStreamingResponseAsync("hi"))
        {
        }

        var record = Assert.Single(_records);
        Assert.Equal(UsageRecordStatus.Ok, record.Status);
        Assert.Equal((11, 7, 3), (record.InputTokens, record.OutputTokens, record.CachedTokens));
        Assert.False(record.Estimated);
        Assert.Equal(1, record.ToolCalls);
    }

    [Fact]
    public async Task AnAnswerWithoutUsageFromTheProviderIsCountedAndMarkedEstimated()
    {
        var client = Capture(new ScriptedModel { ReportsUsage = false });

        await client.GetResponseAsync("hi");

        var record = Assert.Single(_records);
        Assert.True(record.Estimated);
        Assert.True(record.OutputTokens > 0);
        Assert.True(record.InputTokens > 0);
    }

    [Fact]
    public async Task FailedCallIsRecordedWithItsErrorStatus()
    {
        var client = Capture(new ScriptedModel { Failure = new InvalidOperationException("upstream broke") });

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hi"));

        Assert.Equal("error:InvalidOperationException", Assert.Single(_records).Status);
    }

    [Fact]
    public async Task EveryCallOfAToolLoopIsItsOwnRecord()
    {
        var client = Capture(new ScriptedModel());

        await client.GetResponseAsync("first round");
        await client.GetResponseAsync("second round");

        Assert.Equal(2, _records.Count);
        Assert.NotEqual(_records[0].Id, _records[1].Id);
        Assert.All(_records, r => Assert.Equal("req-capture", r.RequestId));
    }

    private UsageCaptureChatClient Capture(IChatClient model) =>
        new(model, new ListSink(_records), _contexts, new HttpContextAccessor(), new UsageTokenCounter());

    private sealed class ListSink(List<UsageRecord> records) : IUsageSink
    {
        public void Record(UsageRecord record) => records.Add(record);
    }

    private sealed class ScriptedModel : IChatClient
    {
        public Exception? Failure { get; init; }
        public bool ReportsUsage { get; init; } = true;

        private static UsageDetails Usage => new() { InputTokenCount = 11, OutputTokenCount = 7, CachedInputTokenCount = 3 };

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Failure is null
                ? Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer")) { Usage = ReportsUsage ? Usage : null })
                : Task.FromException<ChatResponse>(Failure);

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "part one ");
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup")]);
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage)]);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
