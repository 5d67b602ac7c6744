namespace Platform.Redis;

/// <summary>Reply of XAUTOCLAIM: where to continue, the entries now owned by the caller, and ids that no longer exist.</summary>
public sealed record StreamAutoClaimResult(string NextStart, IReadOnlyList<StreamEntry> Entries, IReadOnlyList<string> DeletedIds);
