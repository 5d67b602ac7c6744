using Microsoft.EntityFrameworkCore;
using Platform.Data;
using Platform.Data.Entities;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task MigrationsAppliedConcurrentlyByTwoWorkersSucceedOnce()
    {
        var connectionString = await SharedServers.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
            await PlatformDatabase.MigrateAsync(db);
        }));

        await using var check = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        var applied = await check.Database.SqlQueryRaw<string>("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\"").ToListAsync();
        Assert.Equal(check.Database.GetMigrations(), applied);
    }

    [Fact]
    public async Task MigratingAnUpToDateDatabaseChangesNothing()
    {
        var connectionString = await SharedServers.CreateDatabaseAsync();
        await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
        await PlatformDatabase.MigrateAsync(db);
        db.ModelPrices.Add(new ModelPriceEntity { Provider = "openai", Model = "gpt-4o", InputPerMillion = 2.5m, OutputPerMillion = 10m, EffectiveFrom = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();

        await PlatformDatabase.MigrateAsync(db);

        Assert.Equal(1, await db.ModelPrices.CountAsync());
    }

    [Fact]
    public async Task EveryEntityRoundTripsThroughTheMigratedSchema()
    {
        var connectionString = await SharedServers.CreateDatabaseAsync();
        await using (var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString)))
        {
            await PlatformDatabase.MigrateAsync(db);
            var server = new McpServerEntity { Name = "mcphost", Endpoint = "http://mcphost/mcp", Available = true, UpdatedAt = DateTimeOffset.UtcNow };
            server.Tools.Add(new McpToolEntity
            {
                Name = "evaluate_expression", ExposedName = "evaluate_expression", Description = "Evaluates arithmetic.",
                InputSchema = """{"type":"object","properties":{"expression":{"type":"string"}}}""", ContentHash = "abc",
                Embedding = [0.5f, -0.25f], EmbeddingModel = "local-hash-256", UpdatedAt = DateTimeOffset.UtcNow,
            });
            db.McpServers.Add(server);
            db.UsageRecords.Add(new UsageRecordEntity
            {
                Id = Guid.CreateVersion7(), RequestId = "req-1", TenantId = "t1", Provider = "offline", Model = "offline",
                InputTokens = 10, OutputTokens = 20, CachedTokens = 1, ReasoningTokens = 2, Cost = 0.0001234567m, CacheHit = false,
                LatencyMs = 12.5, TimeToFirstTokenMs = 3.5, ToolCalls = 1, Status = "ok", Streaming = true, CreatedAt = DateTimeOffset.UtcNow,
            });
            db.ApiKeys.Add(new ApiKeyEntity
            {
                Id = Guid.CreateVersion7(), Name = "ci", TenantId = "t1", KeyHash = [1, 2, 3], Prefix = "pk-abc", Scopes = ["chat"],
                RequestsPerMinute = 60, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        await using var read = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
        var tool = await read.McpTools.Include(t => t.Server).SingleAsync();
        Assert.Equal("mcphost", tool.Server!.Name);
        Assert.Equal([0.5f, -0.25f], tool.Embedding!);
        Assert.Contains("expression", tool.InputSchema);
        var usage = await read.UsageRecords.SingleAsync();
        Assert.Equal(0.0001234567m, usage.Cost);
        Assert.Equal(["chat"], (await read.ApiKeys.SingleAsync()).Scopes);
    }

    [Fact]
    public async Task ToolNamesAreUniquePerServer()
    {
        var connectionString = await SharedServers.CreateDatabaseAsync();
        await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
        await PlatformDatabase.MigrateAsync(db);
        var server = new McpServerEntity { Name = "a", Endpoint = "http://a/mcp", UpdatedAt = DateTimeOffset.UtcNow };
        McpToolEntity Tool(string exposed) => new() { Name = "same", ExposedName = exposed, InputSchema = "{}", ContentHash = "h", UpdatedAt = DateTimeOffset.UtcNow };
        server.Tools.Add(Tool("a_same"));
        server.Tools.Add(Tool("a_same_2"));
        db.McpServers.Add(server);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
