using System.Text;
using Platform.Usage.Journal;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "usage-journal-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void AppendedRecordsAreReadBackInAppendOrder()
    {
        using var journal = new UsageJournal(_directory);
        var first = SampleRecords.Many(3);
        var second = SampleRecords.Many(2);
        journal.Append(first);
        journal.Append(second);

        var segments = journal.Seal();

        var segment = Assert.Single(segments);
        var read = UsageJournal.Read(segment);
        Assert.Equal(first.Concat(second), read.Records);
        Assert.Equal(0, read.CorruptLines);
    }

    [Fact]
    public void SealedSegmentsAreReplayedOldestFirstAndNewAppendsStartANewSegment()
    {
        using var journal = new UsageJournal(_directory);
        var older = SampleRecords.Many(2);
        journal.Append(older);
        var sealedFirst = journal.Seal();
        var newer = SampleRecords.Many(2);
        journal.Append(newer);

        var all = journal.Seal();

        Assert.Equal(2, all.Count);
        Assert.Equal(sealedFirst[0], all[0]);
        Assert.Equal(older.Concat(newer), all.SelectMany(p => UsageJournal.Read(p).Records));
    }

    [Fact]
    public void SegmentsLeftByAPreviousProcessAreFoundAndKeptInOrder()
    {
        var before = SampleRecords.Many(2);
        using (var crashed = new UsageJournal(_directory))
        {
            crashed.Append(before);
        }
        using var journal = new UsageJournal(_directory);
        var after = SampleRecords.Many(1);
        journal.Append(after);

        var records = journal.Seal().SelectMany(p => UsageJournal.Read(p).Records);

        Assert.Equal(before.Concat(after), records);
    }

    [Fact]
    public void TornLastLineAfterACrashIsSkipped()
    {
        using var journal = new UsageJournal(_directory);
        var complete = SampleRecords.Many(2);
        journal.Append(complete);
        var path = Assert.Single(journal.Seal());
        var torn = Encoding.UTF8.GetBytes(Line(SampleRecords.Create()));
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(torn, 0, torn.Length / 2); // the process died mid-write: no newline
        }

        var read = UsageJournal.Read(path);

        Assert.Equal(complete, read.Records);
        Assert.Equal(1, read.CorruptLines);
    }

    [Fact]
    public void LineWhoseChecksumDoesNotMatchIsSkippedAndTheRestIsKept()
    {
        Directory.CreateDirectory(_directory);
        var records = SampleRecords.Many(3);
        var lines = records.Select(Line).ToArray();
        lines[1] = lines[1].Replace("\"tenant-a\"", "\"tenant-b\"", StringComparison.Ordinal); // bit rot in the JSON
        var path = Path.Combine(_directory, "usage-00000000000000000001.journal");
        File.WriteAllText(path, string.Concat(lines));

        var read = UsageJournal.Read(path);

        Assert.Equal([records[0], records[2]], read.Records);
        Assert.Equal(1, read.CorruptLines);
    }

    [Fact]
    public void LinesAreChecksumTabJson()
    {
        var record = SampleRecords.Create();
        var line = Line(record);

        Assert.Matches("^[0-9a-f]{8}\t\\{.*\\}\n$", line);
        Assert.True(JournalLine.TryParse(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out var parsed));
        Assert.Equal(record, parsed);
    }

    [Fact]
    public void Crc32CMatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Line(UsageRecord record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        JournalLine.Write(buffer, UsageRecordSerializer.Serialize(record));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
