using Platform.Usage;

namespace Platform.Usage.Tests.Infrastructure;

public static class SampleRecords
{
    public static UsageRecord Create(
        string model = "offline", string provider = "offline", DateTimeOffset? at = null, int input = 10, int output = 5,
        int cached = 0, bool cacheHit = false, string tenant = "tenant-a", string? apiKey = null, string? requestId = null) => new()
    {
        Id = Guid.CreateVersion7(),
        RequestId = requestId ?? Guid.NewGuid().ToString("N"),
        ApiKeyId = apiKey,
        TenantId = tenant,
        Provider = provider,
        Model = model,
        InputTokens = input,
        OutputTokens = output,
        CachedTokens = cached,
        CacheHit = cacheHit,
        TokensSaved = cacheHit ? input + output : 0,
        LatencyMs = 12.5,
        Status = UsageRecordStatus.Ok,
        CreatedAt = at ?? DateTimeOffset.UtcNow,
    };

    public static List<UsageRecord> Many(int count, string model = "offline") =>
        Enumerable.Range(0, count).Select(_ => Create(model)).ToList();
}
