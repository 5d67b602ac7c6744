namespace Platform.Usage.Journal;

/// <summary>The readable records of one journal segment, in append order, and how many lines were skipped.</summary>
public sealed record JournalSegment(string Path, IReadOnlyList<UsageRecord> Records, int CorruptLines);
