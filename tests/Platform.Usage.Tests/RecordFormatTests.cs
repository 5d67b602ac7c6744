using System.Text;
using System.Text.Json;
using Platform.Usage.Tests.Infrastructure;

namespace Platform.Usage.Tests;

/// <summary>The record's wire form: the fast reader and the pooled writer agree with the serializer.</summary>
public sealed class RecordFormatTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<string> Records => new()
    {
        """{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r1","tenantId":"t","provider":"openai","model":"gpt-4o","inputTokens":10,"outputTokens":5,"cachedTokens":2,"reasoningTokens":1,"cacheHit":false,"tokensSaved":0,"latencyMs":12.5,"toolCalls":3,"status":"ok","streaming":true,"createdAt":"2026-01-02T03:04:05.678+00:00"}""",
        """{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r\u00e9\n","apiKeyId":"key-1","tenantId":"t","provider":"p","model":"m","latencyMs":1e3,"timeToFirstTokenMs":null,"status":"error:TimeoutException","createdAt":"2026-01-02T03:04:05+02:00"}""",
        """{"createdAt":"2026-01-02T03:04:05Z","status":"ok","model":"m","provider":"p","tenantId":"t","requestId":"r","id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","timeToFirstTokenMs":7.25,"apiKeyId":null}""",
        // A record of a routed call names its deployment; records queued before deployments existed have none.
        """{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"azure-eu","model":"gpt-4o","status":"ok","streaming":false,"createdAt":"2026-01-02T03:04:05Z","estimated":false,"deployment":"eu-west"}""",
        // Shapes only the serializer handles: other casing, numbers in strings, unknown members.
        """{"Id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","RequestId":"r","TenantId":"t","Provider":"p","Model":"m","Status":"ok","CreatedAt":"2026-01-02T03:04:05Z"}""",
        """{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"p","model":"m","inputTokens":"12","status":"ok","createdAt":"2026-01-02T03:04:05Z","extra":{"a":[1,2]}}""",
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void RecordIsReadExactlyAsTheSerializerReadsIt(string json)
    {
        var expected = JsonSerializer.Deserialize<UsageRecord>(json, Web);

        Assert.Equal(expected, UsageRecordSerializer.Deserialize(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"p","model":"m","status":"ok"}""")]
    [InlineData("""{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"p","model":"m","status":"ok","createdAt":"yesterday"}""")]
    [InlineData("""{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"p","model":"m","status":"ok","createdAt":"2026-01-02T03:04:05Z"} trailing""")]
    [InlineData("""{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"p","model":"m","inputTokens":1.5,"status":"ok","createdAt":"2026-01-02T03:04:05Z"}""")]
    [InlineData("""{"id":"00000000-0000-0000-0000-000000000000","requestId":"r","tenantId":"t","provider":"p","model":"m","status":"ok","createdAt":"2026-01-02T03:04:05Z"}""")]
    [InlineData("""{"id":"0195a0c4-1b2c-7d3e""")]
    [InlineData("null")]
    public void InvalidRecordIsAFormatError(string json)
    {
        Assert.Throws<FormatException>(() => UsageRecordSerializer.Deserialize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ARecordWithoutADeploymentIsWrittenWithoutTheMemberSoEarlierReadersTakeItAsBefore()
    {
        var record = SampleRecords.Create(model: "m", tenant: "t", apiKey: null);

        var json = Encoding.UTF8.GetString(UsageRecordSerializer.Serialize(record with { Deployment = null }));
        var routed = UsageRecordSerializer.Deserialize(UsageRecordSerializer.Serialize(record with { Deployment = "eu-west" }));

        Assert.DoesNotContain("deployment", json);
        Assert.Equal("eu-west", routed.Deployment);
    }

    [Fact]
    public void RecordWithInvalidUtf8IsAFormatError()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"0195a0c4-1b2c-7d3e-8f40-123456789abc","requestId":"r","tenantId":"t","provider":"p","model":"MODEL","status":"ok","createdAt":"2026-01-02T03:04:05Z"}""");
        var model = json.AsSpan().IndexOf("MODEL"u8);
        json[model] = 0xC3; // a lead byte without its continuation

        Assert.Throws<FormatException>(() => UsageRecordSerializer.Deserialize(json));
    }

    [Fact]
    public void RecordsSharingValuesAreReadWithTheirOwnValues()
    {
        var records = Enumerable.Range(0, 500).Select(i => SampleRecords.Create(model: "m" + i % 7, tenant: "tenant-" + i % 300, apiKey: i % 2 == 0 ? null : "k" + i)).ToList();

        var read = records.Select(r => UsageRecordSerializer.Deserialize(UsageRecordSerializer.Serialize(r))).ToList();

        Assert.Equal(records, read);
    }

    [Fact]
    public async Task BatchSerialisedIntoOneBufferHasTheSameBytesAsEachRecordAlone()
    {
        var records = SampleRecords.Many(50).Select((r, i) => r with { ApiKeyId = i % 2 == 0 ? null : "k\"é" + i, TimeToFirstTokenMs = i % 3 == 0 ? null : i / 7.0 }).ToList();
        await using var redis = await UsageStreams.ConnectAsync(await SharedServers.GetRedisConnectionStringAsync());
        var stream = UsageStreams.UniqueName("format");

        await UsageStreams.AddAsync(redis, stream, records);

        var entries = await redis.GetDatabase().StreamRangeAsync(stream);
        Assert.Equal(records.Select(UsageRecordSerializer.Serialize), entries.Select(e => (byte[])e[UsageStreamFormat.RecordField]!));
    }
}
