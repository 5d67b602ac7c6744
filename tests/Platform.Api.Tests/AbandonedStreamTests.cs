using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;
using Platform.Usage;

namespace Platform.Api.Tests;

/// <summary>A stream the client abandons is still billed, with the tokens consumed until then.</summary>
public sealed class AbandonedStreamTests(AbandonedStreamTests.Factory api) : IClassFixture<AbandonedStreamTests.Factory>
{
    [Fact]
    public async Task AStreamTheClientAbandonsIsRecordedWithCountedTokensMarkedEstimated()
    {
        var words = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"word{i}"));
        api.Upstream.RespondWith(new StubReply { Content = words, ChunkDelay = TimeSpan.FromMilliseconds(50) });
        using var http = api.CreateAuthorizedClient();
        string requestId;

        using (var response = await http.PostChatAsync(
            ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("tell me a long story"), ""","stream":true""")))
        {
            requestId = response.Headers.GetValues("x-request-id").Single();
            // Read a few chunks, then go away mid-answer.
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var seen = 0;
            while (seen < 5 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains("word", StringComparison.Ordinal))
                {
                    seen++;
                }
            }
        }

        var record = await WaitForRecordAsync(requestId);
        Assert.True(record.Status is UsageRecordStatus.ClientDisconnected or UsageRecordStatus.Cancelled, record.Status);
        Assert.True(record.OutputTokens > 0, "no output tokens were billed");
        Assert.True(record.InputTokens > 0, "no input tokens were billed");
        Assert.True(record.Estimated);
        // Only part of the answer was generated before the client left.
        Assert.True(record.OutputTokens < 60 * 2, $"{record.OutputTokens} output tokens for a partial answer");
    }

    [Fact]
    public async Task AStreamReadToTheEndIsRecordedWithTheProvidersOwnFigures()
    {
        api.Upstream.RespondWith(new StubReply { Content = "short answer", PromptTokens = 21, CompletionTokens = 3 });
        using var http = api.CreateAuthorizedClient();

        using var response = await http.PostChatAsync(
            ApiHttp.UserMessage(ApiFactory.StubModel, ApiHttp.Unique("short"), ""","stream":true"""));
        var requestId = response.Headers.GetValues("x-request-id").Single();
        await response.ReadSseAsync();

        var record = await WaitForRecordAsync(requestId);
        Assert.Equal((21, 3), (record.InputTokens, record.OutputTokens));
        Assert.False(record.Estimated);
    }

    private async Task<UsageRecord> WaitForRecordAsync(string requestId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (api.Records.FirstOrDefault(r => r.RequestId == requestId) is { } record)
            {
                return record;
            }
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>The Api with its usage records kept in memory.</summary>
    public sealed class Factory : ApiFactory
    {
        public ConcurrentQueue<UsageRecord> Records { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IUsageSink>(new Sink(Records)));
        }

        private sealed class Sink(ConcurrentQueue<UsageRecord> records) : IUsageSink
        {
            public void Record(UsageRecord record) => records.Enqueue(record);
        }
    }
}
