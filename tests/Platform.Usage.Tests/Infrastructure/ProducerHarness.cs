using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Usage.Producer;
using StackExchange.Redis;

namespace Platform.Usage.Tests.Infrastructure;

/// <summary>The Api's producer, in-process, with a journal directory of its own.</summary>
public sealed class ProducerHarness : IAsyncDisposable
{
    private ProducerHarness(UsageProducer producer, ConnectionMultiplexer redis, string journalDirectory)
    {
        Producer = producer;
        Redis = redis;
        JournalDirectory = journalDirectory;
    }

    public UsageProducer Producer { get; }
    public ConnectionMultiplexer Redis { get; }
    public string JournalDirectory { get; }
    public List<Guid> Produced { get; } = [];

    public int JournalSegmentCount => Directory.Exists(JournalDirectory) ? Directory.GetFiles(JournalDirectory, "*.journal").Length : 0;

    public static async Task<ProducerHarness> StartAsync(string redisConnectionString, string stream, Action<UsageProducerOptions>? configure = null)
    {
        // As the Api connects: start while Redis is down, fail commands at once while disconnected.
        var redisOptions = ConfigurationOptions.Parse(redisConnectionString);
        redisOptions.AbortOnConnectFail = false;
        redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
        var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        var options = new UsageProducerOptions
        {
            StreamName = stream,
            JournalDirectory = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N")),
            ReplayProbeInterval = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        var producer = new UsageProducer(redis, Options.Create(options), TestMetrics.Create(), NullLogger<UsageProducer>.Instance);
        await producer.StartAsync(CancellationToken.None);
        return new ProducerHarness(producer, redis, options.JournalDirectory);
    }

    public void Produce(int count)
    {
        foreach (var record in SampleRecords.Many(count))
        {
            Produced.Add(record.Id);
            Producer.Record(record);
        }
    }

    public async Task WaitUntilJournalIsEmptyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (JournalSegmentCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Producer.StopAsync(CancellationToken.None);
        Producer.Dispose();
        await Redis.DisposeAsync();
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }
}
