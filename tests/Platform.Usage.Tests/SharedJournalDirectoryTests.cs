using Platform.Usage.Journal;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

/// <summary>
/// Producers whose journals share one directory: the default journal directory is relative to the
/// working directory, so every Api started from the same directory (an AppHost's replicas, the AppHost
/// tests next to a platform already running from the same checkout) journals into the same place.
/// </summary>
public sealed class SharedJournalDirectoryTests : IDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RecordsAProducerJournalsStayItsOwnWhileAnotherProducerReplaysTheSameDirectory()
    {
        // Nothing listens on the owner's Redis port: every record it takes goes to the journal.
        var unreachable = $"127.0.0.1:{ServerProcess.GetFreePort()},abortConnect=false";
        var ownerStream = UsageStreams.UniqueName("journal-owner");
        var neighbourStream = UsageStreams.UniqueName("journal-neighbour");
        await using var owner = await ProducerHarness.StartAsync(unreachable, ownerStream, o =>
        {
            o.JournalDirectory = _directory;
            o.ReplayProbeInterval = ProbeInterval;
        });
        // Its Redis is up, so it replays whatever it finds in the directory every probe interval.
        await using var neighbour = await ProducerHarness.StartAsync(await SharedServers.GetRedisConnectionStringAsync(), neighbourStream, o =>
        {
            o.JournalDirectory = _directory;
            o.ReplayProbeInterval = ProbeInterval;
        });

        owner.Produce(3);
        await WaitUntilJournaledAsync(owner);
        await Task.Delay(ProbeInterval * 10); // ten probes of the neighbour
        owner.Produce(2); // appended to the segment the owner still has open
        await WaitUntilJournaledAsync(owner);
        await Task.Delay(ProbeInterval * 10);

        // The owner's records wait in its journal for its own Redis; none went to the neighbour's stream.
        Assert.Equal(0, await neighbour.Redis.GetDatabase().StreamLengthAsync(neighbourStream));
        Assert.Equal(owner.Produced, ReadJournal());
    }

    [Fact]
    public void AJournalTakesNoSegmentAnotherLiveJournalHoldsButTakesOverThoseOfOneThatIsGone()
    {
        var writer = new UsageJournal(_directory);
        using var neighbour = new UsageJournal(_directory);
        var records = SampleRecords.Many(2);
        writer.Append(records);

        var path = Assert.Single(neighbour.Seal());
        Assert.Null(neighbour.TryRead(path)); // the writer still appends to it
        Assert.Equal([path], writer.Seal());
        Assert.Null(neighbour.TryRead(path)); // sealed, not replayed yet: still the writer's

        writer.Dispose(); // its process is gone: what it left is anyone's to replay
        Assert.Equal(records, neighbour.TryRead(path)?.Records);
        neighbour.Delete(path);
        Assert.Empty(neighbour.Seal());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private List<Guid> ReadJournal() =>
        Directory.Exists(_directory)
            ? Directory.GetFiles(_directory, "*.journal").Order(StringComparer.Ordinal).SelectMany(path => UsageJournal.Read(path).Records).Select(r => r.Id).ToList()
            : [];

    private static async Task WaitUntilJournaledAsync(ProducerHarness producer)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (producer.Producer.QueueDepth > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        // Taken off the queue is not yet written: the batch waits its flush interval, then is journaled.
        await Task.Delay(ProbeInterval);
    }
}
