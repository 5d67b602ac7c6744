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
/// <para>
/// Several journals may share a directory (every Api started from one working directory resolves the
/// default relative path to the same place). A segment belongs to the journal that writes it until
/// that journal deletes it: it stays open, under an advisory file lock, from its first append through
/// <see cref="Seal"/> and replay. Another journal takes a segment (<see cref="TryRead"/>) only when it can
/// lock it exclusively, that is when the process that wrote it is gone; it never replays, let alone
/// deletes, a segment a live producer still appends to.
/// </para>
/// </summary>
public sealed class UsageJournal : IDisposable
{
    private const string Extension = ".journal";
    private readonly Lock _lock = new();
    private readonly string _directory;
    private FileStream? _current;
    // Segments this journal has sealed or taken over and not deleted yet, kept open so that no other journal takes them.
    private readonly Dictionary<string, FileStream> _held = new(StringComparer.Ordinal);
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

    /// <summary>
    /// Ends the open segment (the next append starts a new one) and returns every segment in the directory,
    /// oldest first, including segments other journals sharing the directory still hold: <see cref="TryRead"/> tells.
    /// </summary>
    public IReadOnlyList<string> Seal()
    {
        lock (_lock)
        {
            if (_current is not null)
            {
                _held[_current.Name] = _current; // still ours: kept open until it is replayed and deleted
                _current = null;
            }
            return [.. EnumerateSegments().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Reads a segment for replay and keeps it until <see cref="Delete"/>: one this journal sealed, or one
    /// left by a process that is gone. Null when another live journal holds it (it is still appending to it,
    /// or replaying it) or it is gone already: its records are not this journal's to send.
    /// </summary>
    public JournalSegment? TryRead(string segmentPath)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(segmentPath, out var segment))
            {
                try
                {
                    // Exclusive: fails while any other journal has the segment open (its owner holds a shared lock).
                    segment = new FileStream(segmentPath, FileMode.Open, FileAccess.Read, TakeOverShare, bufferSize: 0);
                }
                catch (IOException)
                {
                    return null;
                }
                _held[segmentPath] = segment;
            }
            var bytes = new byte[segment.Length];
            segment.Position = 0;
            segment.ReadExactly(bytes);
            return Parse(segmentPath, bytes);
        }
    }

    /// <summary>Reads a segment without taking it (tools, tests); lines that fail their checksum or were torn are counted, not returned.</summary>
    public static JournalSegment Read(string segmentPath) => Parse(segmentPath, File.ReadAllBytes(segmentPath));

    private static JournalSegment Parse(string segmentPath, byte[] bytes)
    {
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

    /// <summary>Removes a segment whose records have all been sent (read with <see cref="TryRead"/>), and lets go of it.</summary>
    public void Delete(string segmentPath)
    {
        lock (_lock)
        {
            File.Delete(segmentPath); // while still held, so that no other journal takes it in between
            if (_held.Remove(segmentPath, out var segment))
            {
                segment.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
            foreach (var segment in _held.Values)
            {
                segment.Dispose();
            }
            _held.Clear();
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
        // Readable through this handle for replay; others may read it too (a shared lock on Unix), but not take it.
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0);
    }

    /// <summary>
    /// How a segment is opened to take it over. On Unix, FileShare.None is an exclusive advisory lock (flock),
    /// refused while the writing journal holds its shared one; on Windows, not sharing write access is refused
    /// while the writer has it open, and sharing delete lets <see cref="Delete"/> remove the file it holds.
    /// </summary>
    private static FileShare TakeOverShare => OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;

    private IEnumerable<string> EnumerateSegments() =>
        Directory.Exists(_directory) ? Directory.EnumerateFiles(_directory, "*" + Extension) : [];
}
