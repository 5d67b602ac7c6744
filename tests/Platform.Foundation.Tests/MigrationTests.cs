using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Data;
using Platform.Data.Entities;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void TheMigrationsSnapshotMatchesTheModel()
    {
        // What `dotnet ef migrations add` sees; no connection is opened.
        using var db = new PlatformDbContextFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration covers: run `dotnet ef migrations add NAME --project libs/Platform.Data`.");
    }

    [Fact]
    public async Task MigratingAFreshDatabaseCreatesTheExpectedTablesAndIndexes()
    {
        var connectionString = await SharedServers.CreateDatabaseAsync();
        await using (var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString)))
        {
            await PlatformDatabase.MigrateAsync(db);
        }

        Assert.Equal(
            ["__EFMigrationsHistory", "api_keys", "mcp_servers", "mcp_tools", "model_prices", "usage_records"],
            await QueryAsync(connectionString, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\""));
        Assert.Equal(
            [
                "CREATE UNIQUE INDEX ix_api_keys_key_hash ON public.api_keys USING btree (key_hash)",
                "CREATE INDEX ix_api_keys_tenant_id ON public.api_keys USING btree (tenant_id)",
                "CREATE UNIQUE INDEX ix_mcp_servers_name ON public.mcp_servers USING btree (name)",
                "CREATE UNIQUE INDEX ix_mcp_tools_exposed_name ON public.mcp_tools USING btree (exposed_name)",
                "CREATE UNIQUE INDEX ix_mcp_tools_server_id_name ON public.mcp_tools USING btree (server_id, name)",
                "CREATE UNIQUE INDEX ix_model_prices_provider_model_effective_from ON public.model_prices USING btree (provider, model, effective_from)",
                "CREATE INDEX ix_usage_records_created_at ON public.usage_records USING btree (created_at)",
                "CREATE INDEX ix_usage_records_model_created_at ON public.usage_records USING btree (model, created_at)",
                "CREATE INDEX ix_usage_records_request_id ON public.usage_records USING btree (request_id)",
                "CREATE INDEX ix_usage_records_tenant_id_created_at ON public.usage_records USING btree (tenant_id, created_at)",
            ],
            await QueryAsync(connectionString, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix\\_%' ORDER BY indexname COLLATE \"C\""));
        Assert.Equal(
            [
                "__EFMigrationsHistory PK___EFMigrationsHistory PRIMARY KEY (\"MigrationId\")",
                "api_keys pk_api_keys PRIMARY KEY (id)",
                "mcp_servers pk_mcp_servers PRIMARY KEY (id)",
                "mcp_tools fk_mcp_tools_mcp_servers FOREIGN KEY (server_id) REFERENCES mcp_servers(id) ON DELETE CASCADE",
                "mcp_tools pk_mcp_tools PRIMARY KEY (id)",
                "model_prices pk_model_prices PRIMARY KEY (id)",
                "usage_records pk_usage_records PRIMARY KEY (id)",
            ],
            await QueryAsync(connectionString, """
                SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                WHERE con.connamespace = 'public'::regnamespace
                ORDER BY c.relname COLLATE "C", con.conname COLLATE "C"
                """));
    }

    [Fact]
    public async Task ADatabaseMigratedByTheHandWrittenInitialSchemaIsNotMigratedAgain()
    {
        var old = await SharedServers.CreateDatabaseAsync();
        await ExecuteAsync(old, HandWrittenInitialSchema.Sql);
        var fresh = await SharedServers.CreateDatabaseAsync();
        await using (var db = new PlatformDbContext(PlatformDatabase.CreateOptions(fresh)))
        {
            await PlatformDatabase.MigrateAsync(db);
        }

        await using (var db = new PlatformDbContext(PlatformDatabase.CreateOptions(old)))
        {
            Assert.Equal(HandWrittenInitialSchema.MigrationId, db.Database.GetMigrations().First());
            Assert.Equal(db.Database.GetMigrations().Skip(1), await db.Database.GetPendingMigrationsAsync());
            // Re-running InitialSchema would fail here: its tables exist.
            await PlatformDatabase.MigrateAsync(db);
        }

        Assert.Equal(await QueryAsync(fresh, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"), await QueryAsync(old, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"));
        Assert.Equal(await DescribeSchemaAsync(fresh), await DescribeSchemaAsync(old));
    }

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

    /// <summary>Every column (type, nullability, default, identity), index, constraint and sequence of the public schema.</summary>
    private static async Task<List<string>> DescribeSchemaAsync(string connectionString) =>
    [
        .. await QueryAsync(connectionString, """
            SELECT c.relname || '.' || a.attname || ' #' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
                || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
                || CASE a.attidentity WHEN 'd' THEN ' identity by default' WHEN 'a' THEN ' identity always' ELSE '' END
                || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname COLLATE "C", a.attnum
            """),
        .. await QueryAsync(connectionString, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname COLLATE \"C\""),
        .. await QueryAsync(connectionString, """
            SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            WHERE con.connamespace = 'public'::regnamespace
            ORDER BY c.relname COLLATE "C", con.conname COLLATE "C"
            """),
        .. await QueryAsync(connectionString, """
            SELECT sequencename || ' ' || data_type::text || ' ' || start_value || ' ' || increment_by || ' ' || max_value
            FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename COLLATE "C"
            """),
    ];

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
