using System.Buffers;
using System.Globalization;

namespace Platform.Usage.Journal;

/// <summary>
/// The producer's last resort: an append-only, fsync'ed local journal of records Redis could not
/// take. It is a directory of segment files named by a growing sequence; appends go to the open
/// segment, <see cref="Seal"/> closes it so that replay reads only finished segments while new
/// appends start a new one. A segment is deleted only after its records were sent
/// (<see cref="Delete"/>), so a crash during replay replays it again (the Worker dedups by id).
/// Each line is <c>crc32c(hex)\tjson\n</c>; a torn or corrupt line is skipped on read.
/// </summary>
public sealed class UsageJournal : IDisposable
{
    private const string Extension = ".journal";
    private readonly Lock _lock = new();
    private readonly string _directory;
    private FileStream? _current;
    private long _lastSequence;

    public UsageJournal(string directory)
    {
        _directory = Path.GetFullPath(directory); // created on the first append, so an unused journal leaves nothing behind
    }

    public string DirectoryPath => _directory;

    /// <summary>True when any segment (open or sealed) may hold records.</summary>
    public bool HasSegments
    {
        get
        {
            lock (_lock)
            {
                return _current is not null || EnumerateSegments().Any();
            }
        }
    }

    /// <summary>Appends the records and flushes them to disk before returning.</summary>
    public void Append(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(records.Count * 512);
        foreach (var record in records)
        {
            JournalLine.Write(buffer, UsageRecordSerializer.Serialize(record));
        }
        lock (_lock)
        {
            _current ??= OpenNewSegment();
            _current.Write(buffer.WrittenSpan);
            _current.Flush(flushToDisk: true);
        }
    }

    /// <summary>Closes the open segment and returns every finished segment, oldest first.</summary>
    public IReadOnlyList<string> Seal()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
            return [.. EnumerateSegments().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Reads a sealed segment; lines that fail their checksum or were torn are counted, not returned.</summary>
    public static JournalSegment Read(string segmentPath)
    {
        var bytes = File.ReadAllBytes(segmentPath);
        var records = new List<UsageRecord>();
        var corrupt = 0;
        var remaining = bytes.AsSpan();
        while (!remaining.IsEmpty)
        {
            var end = remaining.IndexOf((byte)'\n');
            if (end < 0)
            {
                corrupt++; // torn last line: the process died while writing it
                break;
            }
            if (JournalLine.TryParse(remaining[..end], out var record))
            {
                records.Add(record);
            }
            else
            {
                corrupt++;
            }
            remaining = remaining[(end + 1)..];
        }
        return new JournalSegment(segmentPath, records, corrupt);
    }

    /// <summary>Removes a segment whose records have all been sent.</summary>
    public static void Delete(string segmentPath) => File.Delete(segmentPath);

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    private FileStream OpenNewSegment()
    {
        // Sequence from the clock, forced to grow so names sort in append order within this process
        // and after a restart.
        Directory.CreateDirectory(_directory);
        var sequence = Math.Max(DateTime.UtcNow.Ticks, _lastSequence + 1);
        foreach (var existing in EnumerateSegments())
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(existing).AsSpan("usage-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var used) && used >= sequence)
            {
                sequence = used + 1;
            }
        }
        _lastSequence = sequence;
        var path = Path.Combine(_directory, $"usage-{sequence:D20}{Extension}");
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    private IEnumerable<string> EnumerateSegments() =>
        Directory.Exists(_directory) ? Directory.EnumerateFiles(_directory, "*" + Extension) : [];
}
